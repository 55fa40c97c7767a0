-- the order in which effects happened (ordering tests)
alter table probe.effects add column n bigserial;
