create schema if not exists erp;

create table erp.items (
  code text primary key,
  name text not null,
  kind text not null check (kind in ('raw', 'semi', 'finished')),
  uom text not null,
  standard_cost numeric not null default 0,
  lead_time_days int not null default 0,
  reorder_point numeric,
  reorder_qty numeric,
  lot_controlled boolean not null default true,
  lot_size_rule text not null default 'lot-for-lot',
  lot_size numeric,
  safety_stock numeric not null default 0,
  low_level_code int not null default 0,
  avg_cost numeric not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- every change of an item's master data (renames keep their history)
create table erp.item_history (
  id bigserial primary key,
  item_code text not null references erp.items (code),
  changed_at timestamptz not null default now(),
  changed_by text not null,
  before jsonb,
  after jsonb not null
);
create index on erp.item_history (item_code);

create table erp.customers (code text primary key, name text not null, created_at timestamptz not null default now());
create table erp.suppliers (code text primary key, name text not null, created_at timestamptz not null default now());
create table erp.warehouses (code text primary key, name text not null, is_default boolean not null default false);
insert into erp.warehouses (code, name, is_default) values ('MAIN', 'Main warehouse', true);

create table erp.boms (
  item_code text not null references erp.items (code),
  version int not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  primary key (item_code, version)
);
create table erp.bom_components (
  item_code text not null,
  version int not null,
  position int not null,
  component_code text not null references erp.items (code),
  qty numeric not null check (qty > 0),
  scrap_factor numeric not null default 0,
  primary key (item_code, version, position),
  foreign key (item_code, version) references erp.boms (item_code, version)
);
create index on erp.bom_components (component_code);

-- lots: the cost of each lot is kept; status is the lot's (all its quantity moves with it)
create table erp.lots (
  item_code text not null references erp.items (code),
  lot text not null,
  status text not null default 'available' check (status in ('available', 'hold', 'rejected')),
  unit_cost numeric not null default 0,
  supplier text,
  origin text not null,
  work_order_id text,
  sales_order_id text,
  received_at timestamptz not null default now(),
  primary key (item_code, lot)
);
create index on erp.lots (work_order_id);

-- the append-only ledger; balances are its projection, kept in the same transaction
create table erp.stock_moves (
  id bigserial primary key,
  at timestamptz not null default now(),
  kind text not null,
  item_code text not null,
  lot text not null,
  warehouse text not null,
  status text not null,
  qty numeric not null,
  unit_cost numeric not null default 0,
  sales_order_id text,
  work_order_id text,
  purchase_order_id text,
  message_id text,
  actor text not null,
  reason text
);
create index on erp.stock_moves (item_code, lot);
create index on erp.stock_moves (work_order_id) where work_order_id is not null;
create index on erp.stock_moves (sales_order_id) where sales_order_id is not null;

create table erp.stock_balances (
  item_code text not null,
  lot text not null,
  warehouse text not null,
  status text not null,
  qty numeric not null check (qty >= 0),
  primary key (item_code, lot, warehouse, status)
);

create sequence erp.sales_order_seq;
create table erp.sales_orders (
  id text primary key,
  customer text not null references erp.customers (code),
  status text not null,
  created_at timestamptz not null default now(),
  released_at timestamptz,
  completed_at timestamptz,
  shipped_at timestamptz,
  cancelled_at timestamptz
);
create index on erp.sales_orders (status);

create table erp.sales_order_lines (
  order_id text not null references erp.sales_orders (id),
  line_no int not null,
  item_code text not null references erp.items (code),
  qty numeric not null check (qty > 0),
  due_date date not null,
  bom_version int,
  status text not null default 'open',
  planned_start timestamptz,
  planned_end timestamptz,
  produced_qty numeric not null default 0,
  scrapped_qty numeric not null default 0,
  shipped_qty numeric not null default 0,
  standard_material numeric,
  standard_labor numeric not null default 0,
  standard_machine numeric not null default 0,
  change_status text,
  change_reason text,
  primary key (order_id, line_no)
);

create table erp.sales_order_changes (
  id text primary key,
  order_id text not null references erp.sales_orders (id),
  line_no int,
  kind text not null check (kind in ('change', 'cancel')),
  qty numeric,
  due_date date,
  status text not null default 'pending',
  reason text,
  requested_at timestamptz not null default now(),
  answered_at timestamptz
);
create index on erp.sales_order_changes (order_id);

-- the ERP's projection of the MES work orders of its orders (from the MES messages)
create table erp.work_orders (
  id text primary key,
  sales_order_id text,
  line_no int,
  item_code text not null,
  qty numeric not null,
  parent_work_order text,
  top boolean not null default false,
  planned_start timestamptz,
  planned_end timestamptz,
  good_qty numeric not null default 0,
  scrap_qty numeric not null default 0,
  received_qty numeric not null default 0,
  status text not null default 'released'
);
create index on erp.work_orders (sales_order_id);

create table erp.cost_bookings (
  id bigserial primary key,
  work_order_id text not null,
  sales_order_id text,
  at timestamptz not null,
  labor_minutes numeric not null,
  machine_minutes numeric not null,
  energy_kwh numeric not null,
  labor_cost numeric not null,
  machine_cost numeric not null,
  energy_cost numeric not null,
  message_id text
);
create index on erp.cost_bookings (work_order_id);
create index on erp.cost_bookings (sales_order_id);

create table erp.journal_entries (
  id bigserial primary key,
  at timestamptz not null default now(),
  memo text not null,
  sales_order_id text,
  work_order_id text,
  ref text
);
create index on erp.journal_entries (sales_order_id);
create table erp.journal_lines (
  entry_id bigint not null references erp.journal_entries (id),
  position int not null,
  account text not null,
  debit numeric not null default 0,
  credit numeric not null default 0,
  primary key (entry_id, position)
);

create sequence erp.purchase_seq;
create table erp.purchase_requisitions (
  id text primary key,
  item_code text not null references erp.items (code),
  qty numeric not null check (qty > 0),
  reason text not null check (reason in ('reorder', 'mrp')),
  status text not null default 'open' check (status in ('open', 'converted', 'cancelled')),
  need_date date,
  purchase_order_id text,
  created_at timestamptz not null default now()
);
create unique index purchase_requisitions_one_open_reorder on erp.purchase_requisitions (item_code) where reason = 'reorder' and status = 'open';

create table erp.purchase_orders (
  id text primary key,
  supplier text not null references erp.suppliers (code),
  status text not null default 'open' check (status in ('open', 'received', 'cancelled')),
  created_at timestamptz not null default now()
);
create table erp.purchase_order_lines (
  order_id text not null references erp.purchase_orders (id),
  line_no int not null,
  item_code text not null references erp.items (code),
  qty numeric not null check (qty > 0),
  received_qty numeric not null default 0,
  unit_cost numeric not null default 0,
  due_date date,
  requisition_id text,
  primary key (order_id, line_no)
);
