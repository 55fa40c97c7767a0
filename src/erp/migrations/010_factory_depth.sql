-- Factory depth (issue 15, ERP side).
-- Warehouses belong to a plant (the MES's plant code; `main` is the default plant).
alter table erp.warehouses add column if not exists plant text not null default 'main';
alter table erp.warehouses add column if not exists created_at timestamptz not null default now();

-- A lot lives in one warehouse: where it was received, then where it was last transferred to.
-- Consumption issues from there first.
alter table erp.lots add column if not exists warehouse text not null default 'MAIN';

-- Units: an item's `uom` is its stock unit; these are its other units (1 uom = factor stock units).
create table if not exists erp.item_uoms (
  item_code text not null references erp.items (code),
  uom text not null,
  factor numeric not null check (factor > 0),
  created_at timestamptz not null default now(),
  primary key (item_code, uom)
);

-- Incoming inspection: receipts of such an item arrive on hold until the MES's inspection decides.
alter table erp.items add column if not exists inspect_on_receipt boolean not null default false;

-- Progress by standard hours: each work order's standard minutes (setup + minutes per unit × qty
-- over its operations), as the MES acknowledged it.
alter table erp.work_orders add column if not exists standard_minutes numeric;

-- A sales line keeps the unit and quantity it was ordered in (its qty is in stock units).
alter table erp.sales_order_lines add column if not exists ordered_uom text;
alter table erp.sales_order_lines add column if not exists ordered_qty numeric;
