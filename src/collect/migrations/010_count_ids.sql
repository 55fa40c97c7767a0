-- Counts that carry an `id`: one row per work centre and id, written in the same transaction as the
-- production report. A redelivered count (a device resending what was not acknowledged before a
-- crash) finds its row and is not counted again, so the MES and the ERP hear of it once.
create table collect.count_ids (
  work_center text not null,
  id text not null,
  received_at timestamptz not null default now(),
  primary key (work_center, id)
);
