-- Governance: sessions, a tamper-evident append-only audit log, alert routing, rules and webhooks.

-- Sessions: a password change (or an admin's reset) bumps the generation; older tokens are refused.
alter table platform.users add column token_generation int not null default 0;

-- Logged-out and refreshed tokens, by jti, until they would have expired anyway.
create table platform.revoked_tokens (
  jti text primary key,
  username text not null,
  expires_at timestamptz not null,
  revoked_at timestamptz not null default now()
);
create index revoked_tokens_recent on platform.revoked_tokens (revoked_at);

-- Audit: which message a handler's write came from, and the correlation it belongs to.
alter table platform.audit_log add column message_id uuid, add column correlation_id text;

-- The head of the hash chain; only the sealer takes its row lock (writers never touch it).
create table platform.audit_chain_head (
  id int primary key check (id = 1),
  chain_no bigint not null,
  hash text not null
);
insert into platform.audit_chain_head (id, chain_no, hash) values (1, 0, repeat('0', 64));

-- Append-only: no delete, no truncate, and the one update allowed is the sealer's first setting
-- of the chain fields on an unsealed row with every other column unchanged.
create or replace function platform.audit_log_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.chain_no is null and new.chain_no is not null
     and (new.seq, new.at, new.actor, new.action, new.entity, new.ref, new.before, new.after, new.message_id, new.correlation_id)
         is not distinct from
         (old.seq, old.at, old.actor, old.action, old.entity, old.ref, old.before, old.after, old.message_id, old.correlation_id) then
    return new;
  end if;
  raise exception 'platform.audit_log is append-only (% refused)', tg_op using errcode = '42501';
end;
$$;
create trigger audit_log_append_only before update or delete on platform.audit_log
  for each row execute function platform.audit_log_append_only();
create or replace function platform.audit_log_no_truncate() returns trigger language plpgsql as $$
begin
  raise exception 'platform.audit_log is append-only (TRUNCATE refused)' using errcode = '42501';
end;
$$;
create trigger audit_log_no_truncate before truncate on platform.audit_log
  for each statement execute function platform.audit_log_no_truncate();

-- Alerts: the correlation (sales order) an alert belongs to, for rules across ERP and MES.
alter table platform.alerts add column correlation_id text;
create index alerts_open_correlation on platform.alerts (correlation_id, kind) where acknowledged_at is null;
create index alerts_created on platform.alerts (created_at);

-- Which role is told of each alert kind (absent: the kind's default).
create table platform.alert_routing (
  kind text primary key,
  role text not null
);

-- Rules: when every kind in `kinds` is open for one correlation (and the optional fact holds),
-- raise a `rule` alert to `role`.
create table platform.alert_rules (
  id bigserial primary key,
  name text not null,
  kinds text[] not null,
  fact jsonb,
  role text not null,
  severity text not null default 'warning' check (severity in ('info', 'warning', 'critical')),
  message text,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  created_by text
);

-- Webhooks: deliveries are queued in the transaction that raises the alert and sent with retries.
create table platform.webhooks (
  id bigserial primary key,
  url text not null,
  kinds text[] not null,
  secret text not null,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create table platform.webhook_deliveries (
  id bigserial primary key,
  webhook_id bigint not null references platform.webhooks (id) on delete cascade,
  event text not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  last_status int,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index webhook_deliveries_due on platform.webhook_deliveries (next_attempt_at) where status = 'pending';
