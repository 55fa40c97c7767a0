import type { Actor, Queryable } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import { scopeParams } from '../../platform/index.ts';
import { oee } from '../equipment/model.ts';
import { oeeFacts } from '../equipment/service.ts';
import { firstPassYield } from '../quality/service.ts';
import { componentQty } from '../work-orders/model.ts';
import { findWorkOrders, getWorkOrder } from '../work-orders/store.ts';
import type { ReportRow } from '../execution/store.ts';
import type { OperationRow, WorkOrderRow } from '../work-orders/store.ts';
import type { ConsumptionRow } from '../materials/store.ts';
import type { LotRow } from '../quality/store.ts';

type ReconciledWorkOrder = Pick<
  WorkOrderRow,
  'id' | 'sales_order' | 'line_no' | 'external_ref' | 'item_code' | 'qty' | 'good_qty' | 'scrap_qty' | 'status' | 'top' | 'parent_work_order'
>;
type ProducedLot = Pick<LotRow, 'lot' | 'item_code' | 'initial_qty' | 'status'> & { work_order_id: string } & Pick<WorkOrderRow, 'sales_order' | 'line_no' | 'top'>;
type ConsumedLot = Pick<ConsumptionRow, 'work_order_id' | 'lot' | 'item_code' | 'qty'> & Pick<WorkOrderRow, 'sales_order'>;
/** The booked quantities of a report that a work order's totals add up. */
type Booked = 'labor_minutes' | 'machine_minutes' | 'energy_kwh' | 'labor_cost' | 'machine_cost' | 'energy_cost';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The MES side of reconciliation: work orders per order line, produced lots, consumption, lot statuses. */
export async function mesReconcileView(q: Queryable) {
  const [wos, produced, consumed, lots] = await Promise.all([
    q.query<ReconciledWorkOrder>('select id, sales_order, line_no, external_ref, item_code, qty, good_qty, scrap_qty, status, top, parent_work_order from mes.work_orders order by sales_order, line_no, level, id'),
    q.query<ProducedLot>(`select l.lot, l.item_code, l.initial_qty, l.status, l.work_order_id, w.sales_order, w.line_no, w.top
               from mes.lots l join mes.work_orders w on w.id = l.work_order_id order by l.lot`),
    q.query<ConsumedLot>(`select c.work_order_id, c.lot, c.item_code, sum(c.qty) as qty, w.sales_order from mes.consumptions c
               join mes.work_orders w on w.id = c.work_order_id group by c.work_order_id, c.lot, c.item_code, w.sales_order order by 1, 2`),
    q.query<Pick<LotRow, 'lot' | 'item_code' | 'qty' | 'status'>>('select lot, item_code, qty, status from mes.lots order by lot'),
  ]);
  return {
    workOrders: wos.map((w) => ({
      id: w.id, salesOrder: w.sales_order, lineNo: w.line_no, externalRef: w.external_ref,
      itemCode: w.item_code, qty: num(w.qty), goodQty: num(w.good_qty), scrapQty: num(w.scrap_qty), status: w.status as string,
      top: w.top, parentWorkOrder: w.parent_work_order,
    })),
    producedLots: produced.map((l) => ({
      lot: l.lot, itemCode: l.item_code, qty: num(l.initial_qty), status: l.status as string, workOrder: l.work_order_id,
      salesOrder: l.sales_order, lineNo: l.line_no, top: l.top,
    })),
    consumed: consumed.map((c) => ({ workOrder: c.work_order_id, lot: c.lot, itemCode: c.item_code, qty: num(c.qty), salesOrder: c.sales_order })),
    lots: lots.map((l) => ({ lot: l.lot, itemCode: l.item_code, qty: num(l.qty), status: l.status as string })),
  };
}

/** Shop-floor KPI facts of a window: WIP quantity (open work orders' qty not yet good), OEE overall, first-pass yield. */
export async function mesKpiFacts(q: Queryable, w: { from: string | Date; to: string | Date; plant?: string | null }) {
  const from = new Date(w.from);
  const to = new Date(w.to);
  const [wip] = await q.query<{ wip: string; open: number }>(
    `select coalesce(sum(greatest(qty - good_qty, 0)), 0) as wip, count(*)::int as open
       from mes.work_orders where status in ('released', 'in_progress') and ($1::text is null or plant = $1)`,
    [w.plant ?? null],
  );
  const facts = await oeeFacts(q, null, from, to, w.plant ?? null);
  const fpy = await firstPassYield(q, { from: from.toISOString(), to: to.toISOString(), plant: w.plant ?? undefined });
  const firstPass = fpy.reduce((s, r) => s + r.firstPassQty, 0);
  const total = fpy.reduce((s, r) => s + r.totalQty, 0);
  return {
    wipQty: num(wip.wip),
    openWorkOrders: wip.open,
    oee: oee(facts).oee,
    oeeParts: oee(facts),
    firstPassYield: total > 0 ? Math.round((firstPass / total) * 10000) / 10000 : null,
  };
}

async function bomMaterials(q: Queryable, wos: { id: string; itemCode: string; qty: number }[]) {
  const rows = await q.query<{ id: string; components: { itemCode: string; qty: number; scrapFactor?: number }[]; uoms: Record<string, string> | null }>(
    `select w.id, b.components,
            (select jsonb_object_agg(i.code, i.uom) from mes.items i where i.code in (select c->>'itemCode' from jsonb_array_elements(b.components) c)) as uoms
       from mes.work_orders w join mes.boms b on b.item_code = w.item_code
        and b.version = coalesce(w.bom_version, (select max(version) from mes.boms x where x.item_code = w.item_code))
      where w.id = any($1::text[])`,
    [wos.map((w) => w.id)],
  );
  const out = new Map<string, { itemCode: string; qty: number }[]>();
  for (const r of rows) {
    const wo = wos.find((w) => w.id === r.id)!;
    out.set(r.id, r.components.map((c) => ({ itemCode: c.itemCode, qty: componentQty(wo.qty, c.qty, r.uoms?.[c.itemCode] ?? 'pcs', c.scrapFactor ?? 0) })));
  }
  return out;
}

/** The work orders of a sales order with their operations, planned material (BOM) and output lots (B2MML schedule export). */
export async function workOrdersOfSalesOrder(q: Queryable, salesOrderId: string, actor?: Actor) {
  const wos = await findWorkOrders(q, { salesOrder: salesOrderId }, actor ? scopeParams(actor) : undefined);
  const materials = await bomMaterials(q, wos);
  return wos.map((w) => ({ ...w, materials: materials.get(w.id) ?? [] }));
}

/** What a work order did (B2MML performance export): operations, reports, operators, time, consumed and produced lots. */
export async function performanceOfWorkOrder(q: Queryable, workOrderId: string, actor?: Actor) {
  const wo = await getWorkOrder(q, workOrderId, actor ? scopeParams(actor) : undefined);
  const [reports, consumed, operators] = await Promise.all([
    q.query<ReportRow>('select * from mes.reports where work_order_id = $1 order by id', [workOrderId]),
    q.query<Pick<ConsumptionRow, 'lot' | 'item_code' | 'qty' | 'at'>>('select lot, item_code, qty, at from mes.consumptions where work_order_id = $1 order by id', [workOrderId]),
    q.query<{ operator: string; operation_id: string } & Pick<OperationRow, 'work_center'>>(
      `select distinct oo.operator, oo.operation_id, o.work_center from mes.operation_operators oo join mes.operations o on o.id = oo.operation_id
        where o.work_order_id = $1 order by 1, 2`,
      [workOrderId],
    ),
  ]);
  const total = (k: Booked) => reports.reduce((s, r) => s + num(r[k]), 0);
  const r6 = (n: number) => num(n);
  return {
    workOrder: wo,
    reports: reports.map((r) => ({
      id: Number(r.id), operationId: r.operation_id, workCenter: r.work_center, operator: r.operator,
      goodQty: num(r.good_qty), scrapQty: num(r.scrap_qty), scrapReason: r.scrap_reason,
      laborMinutes: num(r.labor_minutes), machineMinutes: num(r.machine_minutes), energyKwh: num(r.energy_kwh),
      laborRate: num(r.labor_rate), machineRate: num(r.machine_rate), energyRate: num(r.energy_rate),
      laborCost: num(r.labor_cost), machineCost: num(r.machine_cost), energyCost: num(r.energy_cost), at: iso(r.at)!,
    })),
    consumed: consumed.map((c) => ({ lot: c.lot, itemCode: c.item_code, qty: num(c.qty), at: iso(c.at)! })),
    produced: wo.outputLots.map((l) => ({ ...l, itemCode: wo.itemCode })),
    operators: operators.map((o) => ({ operator: o.operator, operationId: o.operation_id, workCenter: o.work_center })),
    totals: {
      laborMinutes: r6(total('labor_minutes')), machineMinutes: r6(total('machine_minutes')), energyKwh: r6(total('energy_kwh')),
      laborCost: r6(total('labor_cost')), machineCost: r6(total('machine_cost')), energyCost: r6(total('energy_cost')),
    },
  };
}

/**
 * What is left of open work by work centre, at each work order's current operation (the first not
 * done by sequence): running (a paused one counts as running) or waiting. One statement; the cockpit
 * used to read every work order for it. `plant` narrows to the work orders of one plant.
 */
export async function mesWipByWorkCenter(q: Queryable, plant: string | null) {
  const rows = await q.query<{ work_center: string; running: string; waiting: string }>(
    `select work_center, sum(case when status = 'pending' then 0 else left_qty end) as running, sum(case when status = 'pending' then left_qty else 0 end) as waiting
       from (select distinct on (o.work_order_id) o.work_center, o.status, greatest(w.qty - o.good_qty - o.scrap_qty, 0) as left_qty
               from mes.work_orders w join mes.operations o on o.work_order_id = w.id
              where w.status in ('released', 'in_progress') and o.status in ('pending', 'running', 'paused') and ($1::text is null or w.plant = $1)
              order by o.work_order_id, o.seq) c
      group by work_center order by work_center`,
    [plant],
  );
  return rows.map((r) => ({ workCenter: r.work_center, running: num(r.running), waiting: num(r.waiting) }));
}
