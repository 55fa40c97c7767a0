import { num, type Queryable } from '../../platform/index.ts';
import { standardConversion, type StandardStep } from './model.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface PlannedLine {
  lineNo: number;
  workOrders: { id: string; itemCode: string; qty: number; parentWorkOrder: string | null; plannedStart: string | null; plannedEnd: string | null; standardMinutes?: number; supplyWarehouse?: string | null }[];
  plannedStart: string | null;
  plannedEnd: string | null;
  standard: { labor: number; machine: number };
}

interface PlannedStepRow {
  id: string;
  item_code: string;
  qty: string;
  parent_work_order: string | null;
  planned_start: Date | null;
  planned_end: Date | null;
  line_no: number;
  sales_order: string;
  /** Null for a work order without operations (the left join). */
  setup_minutes: string | null;
  minutes_per_unit: string | null;
  labor_rate: string | null;
  machine_rate: string | null;
  supply_warehouse: string | null;
}

/**
 * The lines of a sales order as AcknowledgeOperationsSchedule / SyncOperationsSchedule carry them,
 * with each line's standard conversion cost (model.ts `standardConversion`, at the rates in force).
 */
export async function plannedLines(q: Queryable, salesOrderId: string, lineNos?: number[]): Promise<PlannedLine[]> {
  return (await plannedLinesOfOrders(q, [salesOrderId], lineNos)).get(salesOrderId) ?? [];
}

/** plannedLines of several sales orders in one statement (a schedule touches hundreds of orders at once). */
export async function plannedLinesOfOrders(q: Queryable, salesOrderIds: string[], lineNos?: number[]): Promise<Map<string, PlannedLine[]>> {
  const rows = await q.query<PlannedStepRow>(
    `select w.id, w.item_code, w.qty, w.parent_work_order, w.planned_start, w.planned_end, w.line_no, w.sales_order,
            o.setup_minutes, o.minutes_per_unit, wc.labor_cost_per_hour as labor_rate, wc.cost_per_hour as machine_rate, wc.supply_warehouse
       from mes.work_orders w
       left join mes.operations o on o.work_order_id = w.id and o.status <> 'cancelled'
       left join mes.work_centers wc on wc.code = o.work_center
      where w.sales_order = any($1::text[]) and ($2::int[] is null or w.line_no = any($2)) and w.status <> 'cancelled'
      order by w.sales_order, w.line_no, w.level, w.id, o.seq`,
    [salesOrderIds, lineNos ?? null],
  );
  const stepsOf = new Map<string, StandardStep[]>();
  const workOrdersOf = new Map<string, PlannedStepRow[]>();
  for (const r of rows) {
    if (!stepsOf.has(r.id)) {
      stepsOf.set(r.id, []);
      (workOrdersOf.get(r.sales_order) ?? workOrdersOf.set(r.sales_order, []).get(r.sales_order)!).push(r);
    }
    if (r.setup_minutes !== null)
      stepsOf.get(r.id)!.push({ setupMinutes: num(r.setup_minutes), minutesPerUnit: num(r.minutes_per_unit), laborRate: num(r.labor_rate), machineRate: num(r.machine_rate) });
  }
  const out = new Map<string, PlannedLine[]>();
  for (const [so, workOrders] of workOrdersOf)
    out.set(
      so,
      plannedLinesOf(
        workOrders.map((r) => ({
          id: r.id, itemCode: r.item_code, qty: num(r.qty), parentWorkOrder: r.parent_work_order, plannedStart: iso(r.planned_start), plannedEnd: iso(r.planned_end),
          lineNo: r.line_no, standard: standardConversion(stepsOf.get(r.id)!, num(r.qty)),
          // the first row of a work order is its first operation (order by seq)
          supplyWarehouse: r.supply_warehouse,
        })),
      ),
    );
  return out;
}

/** What a sales order line's acknowledgement says of one of its work orders. */
export interface PlannedWorkOrderFacts {
  id: string;
  itemCode: string;
  qty: number;
  parentWorkOrder: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  lineNo: number | null;
  standard: { labor: number; machine: number; minutes: number };
  supplyWarehouse: string | null;
}

/**
 * Lines from their work orders (freshly made, or read back by plannedLines): the line's planned
 * span, and its standard conversion cost summed then rounded to cents; minutes to 6 decimals.
 */
export function plannedLinesOf(workOrders: PlannedWorkOrderFacts[]): PlannedLine[] {
  const lines = new Map<number, PlannedLine>();
  const cents = (n: number) => Math.round(n * 100) / 100;
  for (const w of workOrders) {
    const no = w.lineNo ?? 0;
    let line = lines.get(no);
    if (!line) lines.set(no, (line = { lineNo: no, workOrders: [], plannedStart: null, plannedEnd: null, standard: { labor: 0, machine: 0 } }));
    line.workOrders.push({
      id: w.id, itemCode: w.itemCode, qty: w.qty, parentWorkOrder: w.parentWorkOrder, plannedStart: w.plannedStart, plannedEnd: w.plannedEnd,
      standardMinutes: Math.round(w.standard.minutes * 1e6) / 1e6,
      supplyWarehouse: w.supplyWarehouse,
    });
    if (w.plannedStart && (!line.plannedStart || w.plannedStart < line.plannedStart)) line.plannedStart = w.plannedStart;
    if (w.plannedEnd && (!line.plannedEnd || w.plannedEnd > line.plannedEnd)) line.plannedEnd = w.plannedEnd;
    line.standard = { labor: line.standard.labor + w.standard.labor, machine: line.standard.machine + w.standard.machine };
  }
  for (const l of lines.values()) l.standard = { labor: cents(l.standard.labor), machine: cents(l.standard.machine) };
  return [...lines.values()].sort((a, b) => a.lineNo - b.lineNo);
}
