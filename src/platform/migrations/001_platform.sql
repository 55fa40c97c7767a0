create schema if not exists platform;

-- The transactional outbox doubles as the message trace: one row per message ever sent.
create table platform.outbox (
  seq bigserial primary key,
  id uuid not null unique,
  type text not null,
  source text not null,
  correlation_id text,
  payload jsonb not null,
  occurred_at timestamptz not null default now(),
  status text not null default 'pending' check (status in ('pending', 'failed', 'delivered', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  consumers text[] not null default '{}',
  last_error text
);
create index outbox_open on platform.outbox (seq) where status in ('pending', 'failed');
create index outbox_correlation on platform.outbox (correlation_id, seq);

-- What each consumer has handled: a redelivery finds its id here and has no second effect.
create table platform.inbox (
  consumer text not null,
  message_id uuid not null,
  handled_at timestamptz not null default now(),
  primary key (consumer, message_id)
);

create table platform.dead_letters (
  id bigserial primary key,
  source text not null,              -- 'bus' or an ingest channel such as 'mqtt'
  message_id uuid,
  consumer text,
  type text,
  payload jsonb,
  reason text not null,
  status text not null default 'open' check (status in ('open', 'replayed', 'discarded')),
  created_at timestamptz not null default now(),
  replayed_at timestamptz
);
create index dead_letters_open on platform.dead_letters (created_at) where status = 'open';

create table platform.users (
  username text primary key,
  password_hash text not null,
  roles text[] not null,
  scope jsonb not null default '{}',
  created_at timestamptz not null default now(),
  password_changed_at timestamptz not null default now(),
  failed_logins int not null default 0,
  locked_until timestamptz,
  disabled boolean not null default false
);

create table platform.api_keys (
  id text primary key,
  name text not null,
  key_hash text not null unique,    -- sha-256 of the key; the key itself is shown once
  roles text[] not null,
  scope jsonb not null default '{}',
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create table platform.settings (
  key text primary key,
  value text not null
);

-- Idempotency-Key: the first answer to a write, kept with the unit of work that made it.
create table platform.idempotency (
  caller text not null,
  key text not null,
  method text not null,
  url text not null,
  status int not null,
  body jsonb,
  created_at timestamptz not null default now(),
  primary key (caller, key)
);
create index idempotency_age on platform.idempotency (created_at);

-- Append-only audit log; `hash` chains each row to the one before in sealing order.
create table platform.audit_log (
  seq bigserial primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  entity text not null,
  ref text not null,
  before jsonb,
  after jsonb,
  chain_no bigint unique,
  prev_hash text,
  hash text
);
create index audit_entity on platform.audit_log (entity, ref);
create index audit_unsealed on platform.audit_log (seq) where chain_no is null;

create table platform.alerts (
  id bigserial primary key,
  kind text not null,
  severity text not null check (severity in ('info', 'warning', 'critical')),
  ref text not null,
  message text not null,
  role text not null,
  plant text,
  created_at timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by text
);
create unique index alerts_one_open on platform.alerts (kind, ref) where acknowledged_at is null;
