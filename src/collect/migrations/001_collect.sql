create schema if not exists collect;

-- Machine telemetry as a time series: one row per message, appended in arrival order, so a BRIN
-- index on `at` stays tiny and keeps range scans cheap at any volume (no per-row btree upkeep).
create table collect.telemetry (
  work_center text not null,
  plant text not null,
  at timestamptz not null,
  received_at timestamptz not null default now(),
  "values" jsonb not null
);
create index telemetry_at_brin on collect.telemetry using brin (at) with (pages_per_range = 32);
