import type { Queryable } from '../../platform/index.ts';

export interface RoutingRow {
  item_code: string;
  version: number;
  seq: number;
  name: string;
  work_center: string;
  setup_minutes: string;
  minutes_per_unit: string;
  inspection_required: boolean;
  alternatives: string[];
  setup_family: string | null;
}

/** The current (highest) version of an item's routing, in sequence ([] when it has none). */
export async function currentRouting(q: Queryable, itemCode: string) {
  return q.query<RoutingRow>(
    `select * from mes.routing_operations where item_code = $1
        and version = (select max(version) from mes.routing_operations where item_code = $1) order by seq`,
    [itemCode],
  );
}

export async function plantsOfCentres(q: Queryable, codes: string[]) {
  return q.query<{ code: string; plant: string }>('select code, plant from mes.work_centers where code = any($1::text[])', [codes]);
}

export interface NewOperation {
  seq: number;
  name: string;
  workCenter: string;
  setupMinutes: number;
  minutesPerUnit: number;
  inspectionRequired: boolean;
  alternatives: string[];
  setupFamily: string | null;
}

export async function insertRoutingVersion(q: Queryable, itemCode: string, version: number, ops: NewOperation[]) {
  await q.query(
    `insert into mes.routing_operations (item_code, version, seq, name, work_center, setup_minutes, minutes_per_unit, inspection_required, alternatives, setup_family)
     select $1, $2, u.seq, u.name, u.wc, u.setup, u.mpu, u.insp, coalesce((select array_agg(x) from jsonb_array_elements_text(u.alt) x), '{}'), u.fam
       from unnest($3::int[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::boolean[], $9::jsonb[], $10::text[]) as u(seq, name, wc, setup, mpu, insp, alt, fam)`,
    [itemCode, version, ops.map((o) => o.seq), ops.map((o) => o.name), ops.map((o) => o.workCenter), ops.map((o) => o.setupMinutes),
      ops.map((o) => o.minutesPerUnit), ops.map((o) => o.inspectionRequired), ops.map((o) => JSON.stringify(o.alternatives)), ops.map((o) => o.setupFamily)],
  );
}

/** Released work orders of the item made without operations (no routing then). */
export async function bareWorkOrders(q: Queryable, itemCode: string) {
  return q.query<{ id: string }>(
    `select id from mes.work_orders w where item_code = $1 and status = 'released'
        and not exists (select 1 from mes.operations o where o.work_order_id = w.id)`,
    [itemCode],
  );
}

/** Copies a routing version onto work orders (their operations, routing version and plant). */
export async function fillWorkOrders(q: Queryable, ids: string[], itemCode: string, version: number, plant: string) {
  await q.query(
    `insert into mes.operations (id, work_order_id, seq, name, work_center, setup_minutes, minutes_per_unit, inspection_required, status, alternatives, setup_family)
     select 'OP-' || lpad(nextval('mes.operation_seq')::text, 7, '0'), w.id, r.seq, r.name, r.work_center, r.setup_minutes,
            r.minutes_per_unit, r.inspection_required, 'pending', r.alternatives, r.setup_family
       from unnest($1::text[]) as w(id) cross join mes.routing_operations r where r.item_code = $2 and r.version = $3 order by w.id, r.seq`,
    [ids, itemCode, version],
  );
  await q.query('update mes.work_orders set routing_version = $2, plant = $3 where id = any($1::text[])', [ids, version, plant]);
}
