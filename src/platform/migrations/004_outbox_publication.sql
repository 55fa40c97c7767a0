-- The NATS JetStream transport (ADR 0006) publishes outbox rows: when, and how many times (a
-- replayed dead letter is published again under a new JetStream message id).
alter table platform.outbox add column published_at timestamptz;
alter table platform.outbox add column publications int not null default 0;
