-- An outside system's codes and what they mean in Closeloop, per kind (item, uom, workCenter,
-- customer, supplier, plant). A uom row says: 1 external unit = factor internal units.
create table integration.code_maps (
  system text not null references integration.systems (code),
  kind text not null check (kind in ('item', 'uom', 'workCenter', 'customer', 'supplier', 'plant')),
  external text not null,
  internal text not null,
  factor numeric check (factor is null or factor > 0),
  primary key (system, kind, external)
);

-- JSONata expressions that turn an outside system's own JSON into Closeloop's canonical messages.
create table integration.mappings (
  system text not null references integration.systems (code),
  name text not null,
  message text not null check (message in ('production-request', 'order-change', 'order-cancel', 'performance')),
  expression text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (system, name)
);
