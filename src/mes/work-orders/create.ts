import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { num, raiseAlert, unprocessable } from '../../platform/index.ts';
import { explode, type BomComponent, type ItemFacts, type PlannedWorkOrder } from './model.ts';
import { planWorkOrders, type PlanOptions } from './plan.ts';

/** One production request: a sales order line, or an order from an outside ERP (`externalRef`). */
export interface ProductionRequest {
  salesOrder?: string | null;
  lineNo?: number | null;
  externalRef?: string | null;
  itemCode: string;
  qty: number;
  dueDate?: string | null;
  bomVersion?: number | null;
  priority?: number;
}

export interface CreatedWorkOrder {
  id: string;
  itemCode: string;
  qty: number;
  parentWorkOrder: string | null;
  top: boolean;
  request: number;
}

interface Bom {
  version: number;
  components: BomComponent[];
}

/**
 * Items, latest BOMs and routings of everything the requests need, in one recursive query over
 * the BOM closure (plus one for BOM versions named by the requests).
 */
async function loadMasterData(q: Queryable, requests: ProductionRequest[]) {
  const items = new Map<string, ItemFacts>();
  const latest = new Map<string, Bom>();
  const named = new Map<string, Bom>();
  const routings = new Map<string, any[]>();
  const wanted = requests.filter((r) => r.bomVersion != null);
  if (wanted.length) {
    const rows = await q.query(
      `select b.item_code, b.version, b.components from mes.boms b
         join unnest($1::text[], $2::int[]) as w(code, version) on b.item_code = w.code and b.version = w.version`,
      [wanted.map((r) => r.itemCode), wanted.map((r) => r.bomVersion)],
    );
    for (const r of rows) named.set(`${r.item_code}@${r.version}`, { version: r.version, components: r.components });
  }
  const seeds = new Set(requests.map((r) => r.itemCode));
  for (const b of named.values()) for (const c of b.components) seeds.add(c.itemCode);
  const rows = await q.query(
    `with recursive need(code, depth) as (
        select code, 0 from unnest($1::text[]) as s(code)
        union
        select c->>'itemCode', n.depth + 1 from need n
          cross join lateral (select components from mes.boms b where b.item_code = n.code order by version desc limit 1) b
          cross join lateral jsonb_array_elements(b.components) c
         where n.depth < 20)
     select n.code, i.kind, i.uom, b.version, b.components,
            (select jsonb_agg(jsonb_build_object('seq', r.seq, 'name', r.name, 'work_center', r.work_center, 'setup_minutes', r.setup_minutes,
                     'minutes_per_unit', r.minutes_per_unit, 'inspection_required', r.inspection_required) order by r.seq)
               from mes.routing_operations r where r.item_code = n.code) as routing
       from (select distinct code from need) n
       left join mes.items i on i.code = n.code
       left join lateral (select version, components from mes.boms b where b.item_code = n.code order by version desc limit 1) b on true`,
    [[...seeds]],
  );
  for (const r of rows) {
    if (r.kind) items.set(r.code, { code: r.code, kind: r.kind, uom: r.uom });
    if (r.version !== null && r.version !== undefined) latest.set(r.code, { version: r.version, components: r.components });
    if (r.routing) routings.set(r.code, r.routing);
  }
  return { items, latest, named, routings };
}

/**
 * Creates the work orders of several production requests at once: one per BOM level, operations
 * copied from the routings, written with one multi-row insert per table, then planned. An item
 * without a routing still gets its work order (with no operations; a `rule` alert asks for the
 * routing, and `PUT /routings/:item` fills the operations in later).
 */
export async function createWorkOrders(uow: UnitOfWork, requests: ProductionRequest[], plan: PlanOptions = {}): Promise<CreatedWorkOrder[]> {
  if (!requests.length) return [];
  const { items, latest, named, routings: routingOf } = await loadMasterData(uow, requests);
  const nodes: (PlannedWorkOrder & { request: number })[] = [];
  requests.forEach((r, i) => {
    if (!items.has(r.itemCode)) throw unprocessable(`item ${r.itemCode} is unknown to the MES`, { itemCode: r.itemCode });
    if (r.bomVersion != null && !named.has(`${r.itemCode}@${r.bomVersion}`))
      throw unprocessable(`BOM version ${r.bomVersion} of ${r.itemCode} is unknown to the MES`, { itemCode: r.itemCode, version: r.bomVersion });
    if (!(r.qty > 0)) throw unprocessable(`quantity of ${r.itemCode} must be positive`, { qty: r.qty });
    const tree = explode(r.itemCode, r.qty, items, (code, level) =>
      level === 0 && r.bomVersion != null ? named.get(`${code}@${r.bomVersion}`) : latest.get(code),
    );
    const base = nodes.length;
    for (const n of tree) nodes.push({ ...n, index: base + n.index, parentIndex: n.parentIndex < 0 ? -1 : base + n.parentIndex, request: i });
  });
  const codes = [...new Set(nodes.map((n) => n.itemCode))];
  const opCount = nodes.reduce((s, n) => s + (routingOf.get(n.itemCode)?.length ?? 0), 0);
  const [ids] = await uow.query<{ wo: string[]; op: string[] }>(
    `select array(select 'WO-' || lpad(nextval('mes.work_order_seq')::text, 6, '0') from generate_series(1, $1::int)) as wo,
            array(select 'OP-' || lpad(nextval('mes.operation_seq')::text, 7, '0') from generate_series(1, $2::int)) as op`,
    [nodes.length, opCount],
  );
  const woId = (n: { index: number }) => ids.wo[n.index];
  await uow.query(
    `insert into mes.work_orders (id, item_code, qty, qty_per_parent, status, sales_order, line_no, external_ref, parent_work_order, top,
        level, bom_version, due_date, priority, uom)
     select u.id, u.item, u.qty, u.per, 'released', u.so, u.line, u.ext, u.parent, u.top, u.level, u.bom, u.due, u.prio, u.uom
       from unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[], $5::text[], $6::int[], $7::text[], $8::text[], $9::boolean[],
                   $10::int[], $11::int[], $12::date[], $13::int[], $14::text[])
         as u(id, item, qty, per, so, line, ext, parent, top, level, bom, due, prio, uom)`,
    [
      nodes.map(woId),
      nodes.map((n) => n.itemCode),
      nodes.map((n) => n.qty),
      nodes.map((n) => n.qtyPerParent),
      nodes.map((n) => requests[n.request].salesOrder ?? null),
      nodes.map((n) => requests[n.request].lineNo ?? null),
      nodes.map((n) => (n.parentIndex < 0 ? (requests[n.request].externalRef ?? null) : null)),
      nodes.map((n) => (n.parentIndex < 0 ? null : ids.wo[n.parentIndex])),
      nodes.map((n) => n.parentIndex < 0),
      nodes.map((n) => n.level),
      nodes.map((n) => n.bomVersion),
      nodes.map((n) => requests[n.request].dueDate ?? null),
      nodes.map((n) => requests[n.request].priority ?? 0),
      nodes.map((n) => n.uom),
    ],
  );
  const op = { id: [] as string[], wo: [] as string[], seq: [] as number[], name: [] as string[], wc: [] as string[], setup: [] as string[], mpu: [] as string[], insp: [] as boolean[] };
  let k = 0;
  for (const n of nodes)
    for (const r of routingOf.get(n.itemCode) ?? []) {
      op.id.push(ids.op[k++]);
      op.wo.push(woId(n));
      op.seq.push(r.seq);
      op.name.push(r.name);
      op.wc.push(r.work_center);
      op.setup.push(r.setup_minutes);
      op.mpu.push(r.minutes_per_unit);
      op.insp.push(r.inspection_required);
    }
  if (op.id.length)
    await uow.query(
      `insert into mes.operations (id, work_order_id, seq, name, work_center, setup_minutes, minutes_per_unit, inspection_required, status)
       select u.*, 'pending' from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::boolean[])
         as u(id, wo, seq, name, wc, setup, mpu, insp)`,
      [op.id, op.wo, op.seq, op.name, op.wc, op.setup, op.mpu, op.insp],
    );
  for (const code of codes.filter((c) => !routingOf.has(c)))
    await raiseAlert(uow, {
      kind: 'rule',
      severity: 'warning',
      ref: `routing/${code}`,
      role: 'supervisor',
      message: `item ${code} has no routing: its work orders have no operations until PUT /api/v1/mes/routings/${code}`,
    });
  await planWorkOrders(uow, nodes.map(woId), plan);
  const created = nodes.map((n) => ({
    id: woId(n),
    itemCode: n.itemCode,
    qty: num(n.qty),
    parentWorkOrder: n.parentIndex < 0 ? null : ids.wo[n.parentIndex],
    top: n.parentIndex < 0,
    request: n.request,
  }));
  for (const { request: _r, ...w } of created) uow.audit({ action: 'create', entity: 'work_order', ref: w.id, after: w });
  return created;
}
