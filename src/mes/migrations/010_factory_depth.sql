-- Factory depth (issue 15): plants, versions, make-to-stock pegging, incoming inspection.

-- A routing has versions: PUT makes a new one, the highest is the current; a work order keeps
-- the version it was made with. An operation may name alternative work centres.
alter table mes.routing_operations add column version int not null default 1;
alter table mes.routing_operations add column alternatives text[] not null default '{}';
alter table mes.routing_operations drop constraint routing_operations_pkey;
alter table mes.routing_operations add primary key (item_code, version, seq);
alter table mes.operations add column alternatives text[] not null default '{}';

-- The outbox position of the BOM version's message: the versions "in force" at a moment are the
-- highest ones whose message came before it (null: known from the start).
alter table mes.boms add column message_seq bigint;

alter table mes.work_orders add column routing_version int;
-- The moment (outbox position) the work order's BOM versions are frozen at: the approval of its
-- sales order, or its creation. Child levels and later top-ups explode with the versions then in force.
alter table mes.work_orders add column bom_as_of bigint;
-- The demands a make-to-stock work order covers (MRP pegging: sales order lines, work orders).
alter table mes.work_orders add column pegged_to text[] not null default '{}';

-- A work order belongs to the plant of its work centres (written at creation from now on).
update mes.work_orders w set plant = p.plant
  from (select distinct on (o.work_order_id) o.work_order_id, wc.plant
          from mes.operations o join mes.work_centers wc on wc.code = o.work_center order by o.work_order_id, o.seq) p
 where p.work_order_id = w.id and w.plant <> p.plant;
create index work_orders_plant_status on mes.work_orders (plant, status);

-- Incoming inspection: a supplier lot is inspected without a work order.
alter table mes.inspections alter column work_order_id drop not null;
