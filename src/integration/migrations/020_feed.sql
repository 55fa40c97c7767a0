-- The outbound feed: per outside system, every business event about its work, in order. Written in
-- the unit of work of the fact (or of the inbox row of the message that reports it), so it never
-- misses or invents an event. `cursor` counts up per system with no gaps (feed_cursors is locked
-- until the writer commits, so cursors become visible in order).
create table integration.feed_cursors (
  system text primary key,
  last bigint not null
);

create table integration.feed (
  system text not null,
  cursor bigint not null,
  type text not null,
  occurred_at timestamptz not null,
  external_ref text,
  payload jsonb not null,
  message_id uuid,
  -- webhook delivery: 'none' (no webhook when written), 'pending', 'delivered', 'dead'
  status text not null check (status in ('none', 'pending', 'delivered', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  delivered_at timestamptz,
  -- the trace row (platform.outbox) and dead letter of an event that kept failing
  trace_id uuid,
  created_at timestamptz not null default now(),
  primary key (system, cursor)
);
create index feed_open on integration.feed (cursor) where status in ('pending', 'dead');
