import type { Queryable, UnitOfWork } from '../../platform/index.ts';
import { conflict, num, unprocessable } from '../../platform/index.ts';

/** What a production request says that matters here (create.ts's ProductionRequest has it). */
interface Requested {
  externalSystem?: string | null;
  itemCode: string;
  under?: { parentWorkOrder: string };
}

/**
 * Plants run by an outside ERP (set through integration's `PUT .../systems/:code {plants}`): their
 * work orders come only from that system, and the built-in ERP books nothing of them (the MES's
 * messages about them carry `outsideErp`). The one place the MES knows of it.
 */
export async function setOutsideErpPlants(uow: UnitOfWork, system: string, plants: string[]) {
  if (plants.length) {
    const known = await uow.query<{ code: string }>('select code from mes.plants where code = any($1::text[])', [plants]);
    const unknown = plants.filter((p) => !known.some((k) => k.code === p));
    if (unknown.length) throw unprocessable(`unknown plant ${unknown.join(', ')}`, { unknownPlants: unknown });
    const taken = await uow.query<{ plant: string; system: string }>(
      'select plant, system from mes.outside_erp_plants where plant = any($1::text[]) and system <> $2',
      [plants, system],
    );
    if (taken.length) throw conflict(`plant ${taken[0].plant} is run by the outside ERP ${taken[0].system}`, { plants: taken });
  }
  await uow.query('delete from mes.outside_erp_plants where system = $1 and not (plant = any($2::text[]))', [system, plants]);
  await uow.query(
    'insert into mes.outside_erp_plants (plant, system) select unnest($1::text[]), $2 on conflict (plant) do nothing',
    [plants, system],
  );
}

/** Work of a plant run by an outside ERP is marked in every message about it: the built-in ERP skips it. */
export const outsideErp = (wo: { outside_erp?: string | null }) => (wo.outside_erp ? { outsideErp: wo.outside_erp } : {});

/**
 * After work orders are made: a tree that touches a plant run by an outside ERP must come from that
 * system (else the whole creation is refused with the reason) and is marked `outside_erp`. A top-up
 * under an existing work order inherits its parent's mark. One query when no plant is run outside.
 */
export async function claimOutsideWork(uow: UnitOfWork, created: { id: string; request: number }[], requests: Requested[]) {
  if (!created.length) return;
  const rows = await uow.query<{ id: string; plant: string; system: string }>(
    `select w.id, p.plant, p.system from mes.work_orders w
       join lateral (select w.plant union select wc.plant from mes.operations o join mes.work_centers wc on wc.code = o.work_center
                      where o.work_order_id = w.id) pl(plant) on true
       join mes.outside_erp_plants p on p.plant = pl.plant
      where w.id = any($1::text[])`,
    [created.map((c) => c.id)],
  );
  const under = requests.map((r, i) => (r.under ? i : -1)).filter((i) => i >= 0);
  for (const i of under)
    await uow.query(`update mes.work_orders set outside_erp = (select outside_erp from mes.work_orders where id = $2) where id = any($1::text[])`, [
      created.filter((c) => c.request === i).map((c) => c.id),
      requests[i].under!.parentWorkOrder,
    ]);
  if (!rows.length) return;
  const requestOf = new Map(created.map((c) => [c.id, c.request]));
  const systemOf = new Map<number, string>();
  for (const r of rows) {
    const i = requestOf.get(r.id)!;
    if (requests[i].under) continue;
    const from = requests[i].externalSystem ?? null;
    if (from !== r.system || (systemOf.has(i) && systemOf.get(i) !== r.system))
      throw unprocessable(`plant ${r.plant} is run by the outside ERP ${r.system}: its work orders come only from ${r.system}`, {
        reason: 'plant_run_outside', plant: r.plant, system: r.system, itemCode: requests[i].itemCode,
      });
    systemOf.set(i, r.system);
  }
  const ids = created.filter((c) => systemOf.has(c.request));
  await uow.query('update mes.work_orders w set outside_erp = u.sys from unnest($1::text[], $2::text[]) u(id, sys) where w.id = u.id', [
    ids.map((c) => c.id),
    ids.map((c) => systemOf.get(c.request)!),
  ]);
}

/** What integration's outbound feed needs to know of work orders and lots, in one read each. */
export interface OutsideWorkOrderFacts {
  id: string;
  topId: string;
  top: boolean;
  externalSystem: string | null;
  externalRef: string | null;
  itemCode: string;
  uom: string;
  qty: number;
  goodQty: number;
  scrapQty: number;
  status: string;
  parentWorkOrder: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  outputLots: { lot: string; qty: number }[];
}

interface FactRow {
  id: string; top_id: string; top: boolean; external_system: string | null; external_ref: string | null; item_code: string; uom: string;
  qty: string; good_qty: string; scrap_qty: string; status: string; parent_work_order: string | null;
  planned_start: Date | null; planned_end: Date | null; lots: { lot: string; qty: string }[] | null;
}

/**
 * Work orders of outside systems by id (or by the lots they produced; others are left out) with their
 * top's external reference, and the units of their items (and of `items`).
 */
export async function workOrderFacts(q: Queryable, ids: string[], lots: string[] = [], items: string[] = []): Promise<{ workOrders: Map<string, OutsideWorkOrderFacts>; lotWorkOrder: Map<string, string>; itemUoms: Map<string, string> }> {
  const lotRows = lots.length
    ? await q.query<{ lot: string; work_order_id: string }>('select lot, work_order_id from mes.lots where lot = any($1::text[]) and work_order_id is not null', [lots])
    : [];
  const all = [...new Set([...ids, ...lotRows.map((l) => l.work_order_id)])];
  const rows = all.length
    ? await q.query<FactRow>(
        `with recursive up as (
           select w.id as start, w.id, w.parent_work_order from mes.work_orders w where w.id = any($1::text[]) and w.external_system is not null
           union all
           select up.start, p.id, p.parent_work_order from up join mes.work_orders p on p.id = up.parent_work_order)
         select s.id, t.id as top_id, s.top, s.external_system, t.external_ref, s.item_code, s.uom, s.qty, s.good_qty, s.scrap_qty, s.status,
                s.parent_work_order, s.planned_start, s.planned_end,
                (select json_agg(json_build_object('lot', l.lot, 'qty', l.initial_qty) order by l.created_at, l.lot) from mes.lots l where l.work_order_id = s.id) as lots
           from up join mes.work_orders t on t.id = up.id and up.parent_work_order is null join mes.work_orders s on s.id = up.start`,
        [all],
      )
    : [];
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const workOrders = new Map(
    rows.map((r): [string, OutsideWorkOrderFacts] => [r.id, {
      id: r.id, topId: r.top_id, top: r.top, externalSystem: r.external_system, externalRef: r.external_ref, itemCode: r.item_code, uom: r.uom,
      qty: num(r.qty), goodQty: num(r.good_qty), scrapQty: num(r.scrap_qty), status: r.status, parentWorkOrder: r.parent_work_order,
      plannedStart: iso(r.planned_start), plannedEnd: iso(r.planned_end), outputLots: (r.lots ?? []).map((l) => ({ lot: l.lot, qty: num(l.qty) })),
    }]),
  );
  const codes = [...new Set([...items, ...rows.map((r) => r.item_code)])];
  return { workOrders, lotWorkOrder: new Map(lotRows.map((l) => [l.lot, l.work_order_id])), itemUoms: rows.length ? await itemUoms(q, codes) : new Map() };
}

/** The MES's unit of each item (material consumed is counted in it). */
export async function itemUoms(q: Queryable, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await q.query<{ code: string; uom: string }>('select code, uom from mes.items where code = any($1::text[])', [codes]);
  return new Map(rows.map((r) => [r.code, r.uom]));
}
