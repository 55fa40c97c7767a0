create schema if not exists mes;

-- Resources
create table mes.plants (
  code text primary key,
  name text not null,
  created_at timestamptz not null default now()
);
insert into mes.plants (code, name) values ('main', 'Main plant');

create table mes.work_centers (
  code text primary key,
  name text not null,
  plant text not null default 'main',
  cost_per_hour numeric not null,
  labor_cost_per_hour numeric not null,
  energy_cost_per_kwh numeric not null default 0.12,
  capacity int not null default 1 check (capacity >= 1),
  calendar jsonb not null,
  created_at timestamptz not null default now()
);

create table mes.operators (
  code text primary key,
  name text not null,
  plant text not null default 'main',
  work_centers text[] not null default '{}',
  created_at timestamptz not null default now()
);

create table mes.routing_operations (
  item_code text not null,
  seq int not null,
  name text not null,
  work_center text not null references mes.work_centers (code),
  setup_minutes numeric not null default 0,
  minutes_per_unit numeric not null default 0,
  inspection_required boolean not null default false,
  primary key (item_code, seq)
);

-- The MES's own copy of ERP master data (filled by messages)
create table mes.items (
  code text primary key,
  name text not null,
  kind text not null,
  uom text not null,
  standard_cost numeric not null default 0,
  updated_at timestamptz not null default now()
);

create table mes.boms (
  item_code text not null,
  version int not null,
  components jsonb not null,
  received_at timestamptz not null default now(),
  primary key (item_code, version)
);

-- The MES's lot view: received lots (from the ERP) and produced lots (here)
create table mes.lots (
  lot text primary key,
  item_code text not null,
  qty numeric not null default 0,
  initial_qty numeric not null default 0,
  status text not null default 'available' check (status in ('available', 'hold', 'rejected')),
  hold_reason text,
  supplier text,
  work_order_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index lots_work_order on mes.lots (work_order_id) where work_order_id is not null;

-- Work orders and their operations
create sequence mes.work_order_seq;
create sequence mes.operation_seq;
create sequence mes.lot_seq;

create table mes.work_orders (
  id text primary key,
  item_code text not null,
  qty numeric not null,
  qty_per_parent numeric,
  status text not null check (status in ('released', 'in_progress', 'completed', 'cancelled')),
  sales_order text,
  line_no int,
  external_ref text,
  parent_work_order text references mes.work_orders (id),
  top boolean not null,
  level int not null default 0,
  bom_version int,
  due_date date,
  priority int not null default 0,
  plant text not null default 'main',
  uom text not null default 'pcs',
  quality_hold boolean not null default false,
  planned_start timestamptz,
  planned_end timestamptz,
  good_qty numeric not null default 0,
  scrap_qty numeric not null default 0,
  started_at timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now()
);
create index work_orders_sales_order on mes.work_orders (sales_order, line_no);
create index work_orders_parent on mes.work_orders (parent_work_order);
create index work_orders_external_ref on mes.work_orders (external_ref) where external_ref is not null;
create index work_orders_open on mes.work_orders (status) where status in ('released', 'in_progress');

create table mes.operations (
  id text primary key,
  work_order_id text not null references mes.work_orders (id),
  seq int not null,
  name text not null,
  work_center text not null,
  setup_minutes numeric not null,
  minutes_per_unit numeric not null,
  inspection_required boolean not null default false,
  status text not null check (status in ('pending', 'running', 'paused', 'done', 'cancelled')),
  good_qty numeric not null default 0,
  scrap_qty numeric not null default 0,
  planned_start timestamptz,
  planned_end timestamptz,
  started_at timestamptz,
  ended_at timestamptz,
  unique (work_order_id, seq)
);
create index operations_work_center_end on mes.operations (work_center, planned_end);

-- Who works on an operation (several operators at once)
create table mes.operation_operators (
  operation_id text not null references mes.operations (id),
  operator text not null,
  joined_at timestamptz not null,
  primary key (operation_id, operator)
);

-- Production reports: the rates in force are copied onto each row
create table mes.reports (
  id bigserial primary key,
  operation_id text not null references mes.operations (id),
  work_order_id text not null,
  work_center text not null,
  item_code text not null,
  operator text,
  good_qty numeric not null,
  scrap_qty numeric not null,
  scrap_reason text,
  labor_minutes numeric not null,
  machine_minutes numeric not null,
  energy_kwh numeric not null,
  labor_rate numeric not null,
  machine_rate numeric not null,
  energy_rate numeric not null,
  labor_cost numeric not null,
  machine_cost numeric not null,
  energy_cost numeric not null,
  at timestamptz not null
);
create index reports_work_order on mes.reports (work_order_id);
create index reports_work_center_at on mes.reports (work_center, at);

create table mes.consumptions (
  id bigserial primary key,
  work_order_id text not null,
  item_code text not null,
  lot text not null,
  qty numeric not null,
  at timestamptz not null
);
create index consumptions_work_order on mes.consumptions (work_order_id);

-- Genealogy: input lot -> work order (-> its output lot once it exists)
create table mes.genealogy (
  id bigserial primary key,
  input_lot text not null,
  output_lot text,
  work_order_id text not null,
  qty numeric not null,
  at timestamptz not null default now()
);
create index genealogy_backward on mes.genealogy (output_lot) include (input_lot, qty, id);
create index genealogy_forward on mes.genealogy (input_lot) include (output_lot, qty, id);
create index genealogy_work_order on mes.genealogy (work_order_id) where output_lot is null;

-- Quality
create table mes.inspections (
  id bigserial primary key,
  work_order_id text not null,
  operation_id text,
  lot text,
  item_code text not null,
  work_center text,
  result text not null check (result in ('pass', 'fail')),
  defects jsonb not null default '[]',
  measurements jsonb not null default '[]',
  note text,
  inspector text not null,
  at timestamptz not null
);
create index inspections_work_order on mes.inspections (work_order_id);

-- Equipment states
create table mes.equipment_events (
  id bigserial primary key,
  work_center text not null,
  state text not null check (state in ('running', 'idle', 'down')),
  reason text,
  at timestamptz not null,
  recorded_by text not null
);
create index equipment_events_wc_at on mes.equipment_events (work_center, at);
