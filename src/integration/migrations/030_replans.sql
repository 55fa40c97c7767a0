-- Replanning when the floor changes (src/integration/planning/replan.ts): what it must not forget
-- when the server restarts. Each trigger is written in the unit of work of the message that
-- raised it (with its inbox row), so an acknowledged trigger is replanned even after a crash.

-- A work centre heard down: since when, whether a replan has planned around it (its return then
-- triggers one), and the operations those replans pushed back (they may come earlier once it is up).
create table integration.replan_centres (
  work_center text primary key,
  down_since timestamptz not null,
  planned_around boolean not null default false,
  pushed_back text[] not null default '{}'
);

-- Triggers heard and not yet replanned (the debounce wait, or a replan cut short by a restart).
create table integration.replan_pending (
  id bigserial primary key,
  reason text not null,
  operations text[] not null default '{}',
  sales_orders text[] not null default '{}',
  work_orders text[] not null default '{}',
  -- the daily full reschedule (everything pending may move), not an incremental replan
  full_reschedule boolean not null default false,
  heard_at timestamptz not null default now()
);

-- Scrap last heard per open work order: a report that adds scrap leaves it short.
create table integration.replan_scrap (
  work_order text primary key,
  scrap numeric not null
);

-- What the planner board shows: every automatic replan, when, why, what moved.
create table integration.replans (
  id bigserial primary key,
  at timestamptz not null,
  reasons text[] not null,
  status text not null check (status in ('done', 'failed')),
  moved jsonb not null default '[]',
  late_work_orders text[] not null default '{}',
  timings jsonb,
  error text
);
