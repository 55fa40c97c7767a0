create schema if not exists probe;
create table probe.things (id text primary key, qty int not null);
create table probe.effects (message_id uuid not null, thing text not null);
