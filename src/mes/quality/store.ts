import type { Queryable } from '../../platform/index.ts';
import type { OperationRow } from '../work-orders/store.ts';

/** The columns of mes.work_orders an inspection needs. */
export interface InspectedWorkOrderRow {
  id: string;
  outside_erp: string | null;
  item_code: string;
  plant: string;
  sales_order: string | null;
  quality_hold: boolean;
}

/** The columns of mes.operations an inspection names. */
type InspectedOperationRow = Pick<OperationRow, 'id' | 'work_center'>;

/** A row of mes.lots (the MES's lot view). */
export interface LotRow {
  lot: string;
  item_code: string;
  qty: string;
  initial_qty: string;
  status: 'available' | 'hold' | 'rejected';
  hold_reason: string | null;
  supplier: string | null;
  work_order_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A lot with the sales order and plant of the work order that made it (none for a supplier lot). */
export interface LotWithOrderRow extends LotRow {
  sales_order: string | null;
  plant: string | null;
  /** The outside ERP that runs the work order's plant (its messages say so). */
  outside_erp: string | null;
}

export interface InspectionRow {
  workOrder: string | null;
  operation: string | null;
  lot: string | null;
  itemCode: string;
  workCenter: string | null;
  result: 'pass' | 'fail';
  defects: unknown[];
  measurements: unknown[];
  note: string | null;
  inspector: string;
  at: Date;
}

export async function lockWorkOrderForInspection(q: Queryable, id: string) {
  const [wo] = await q.query<InspectedWorkOrderRow>('select id, item_code, plant, sales_order, quality_hold, outside_erp from mes.work_orders where id = $1 for update', [id]);
  return wo ?? null;
}

/** The operation named, if it is of the work order; else its last operation not cancelled. */
export async function inspectedOperation(q: Queryable, workOrder: string, operation?: string) {
  const [op] = operation
    ? await q.query<InspectedOperationRow>('select id, work_center from mes.operations where id = $1 and work_order_id = $2', [operation, workOrder])
    : await q.query<InspectedOperationRow>(`select id, work_center from mes.operations where work_order_id = $1 and status <> 'cancelled' order by seq desc limit 1`, [workOrder]);
  return op ?? null;
}

export async function lockLot(q: Queryable, lot: string) {
  const [row] = await q.query<LotRow>('select * from mes.lots where lot = $1 for update', [lot]);
  return row ?? null;
}

/** The latest lot a work order produced, locked. */
export async function lockOutputLot(q: Queryable, workOrder: string) {
  const [row] = await q.query<LotRow>('select * from mes.lots where work_order_id = $1 order by created_at desc limit 1 for update', [workOrder]);
  return row ?? null;
}

export async function lockLotWithOrder(q: Queryable, lot: string) {
  const [row] = await q.query<LotWithOrderRow>(
    `select l.*, w.sales_order, w.plant, w.outside_erp from mes.lots l left join mes.work_orders w on w.id = l.work_order_id where l.lot = $1 for update of l`,
    [lot],
  );
  return row ?? null;
}

export async function insertInspection(q: Queryable, i: InspectionRow): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `insert into mes.inspections (work_order_id, operation_id, lot, item_code, work_center, result, defects, measurements, note, inspector, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [i.workOrder, i.operation, i.lot, i.itemCode, i.workCenter, i.result, JSON.stringify(i.defects), JSON.stringify(i.measurements), i.note, i.inspector, i.at],
  );
  return Number(row.id);
}

export async function setQualityHold(q: Queryable, workOrder: string, hold: boolean) {
  await q.query('update mes.work_orders set quality_hold = $2 where id = $1', [workOrder, hold]);
}

export async function setLotStatus(q: Queryable, lot: string, status: LotRow['status'], holdReason: string | null) {
  await q.query('update mes.lots set status = $2, hold_reason = $3, updated_at = now() where lot = $1', [lot, status, holdReason]);
}

/** How many inspection-required operations of a work order have no passing inspection yet. */
export async function inspectionsMissing(q: Queryable, workOrder: string): Promise<number> {
  const [left] = await q.query<{ n: number }>(
    `select count(*)::int as n from mes.operations o where o.work_order_id = $1 and o.inspection_required
        and not exists (select 1 from mes.inspections i where i.work_order_id = o.work_order_id and i.result = 'pass' and (i.operation_id is null or i.operation_id = o.id))`,
    [workOrder],
  );
  return left.n;
}

export async function findLot(q: Queryable, lot: string) {
  const [row] = await q.query<Omit<LotWithOrderRow, 'outside_erp'>>(
    'select l.*, w.sales_order, w.plant from mes.lots l left join mes.work_orders w on w.id = l.work_order_id where l.lot = $1',
    [lot],
  );
  return row ?? null;
}

export interface FirstPassRow {
  work_center: string;
  item_code: string;
  first_pass: string;
  total: string;
}

export interface FirstPassFilter {
  /** A data scope's plants (null: all). */
  plants?: string[] | null;
  from?: string;
  to?: string;
  plant?: string;
  workCenter?: string;
  itemCode?: string;
}

export async function firstPassRows(q: Queryable, f: FirstPassFilter) {
  return q.query<FirstPassRow>(
    `select r.work_center, r.item_code,
            sum(case when exists (select 1 from mes.inspections i where i.work_order_id = r.work_order_id and i.result = 'fail') then 0 else r.good_qty end) as first_pass,
            sum(r.good_qty + r.scrap_qty) as total
       from mes.reports r join mes.work_centers wc on wc.code = r.work_center
      where ($1::timestamptz is null or r.at >= $1) and ($2::timestamptz is null or r.at < $2) and ($3::text is null or wc.plant = $3)
        and ($4::text is null or r.work_center = $4) and ($5::text is null or r.item_code = $5) and ($6::text[] is null or wc.plant = any($6))
      group by r.work_center, r.item_code order by r.work_center, r.item_code`,
    [f.from ?? null, f.to ?? null, f.plant ?? null, f.workCenter ?? null, f.itemCode ?? null, f.plants ?? null],
  );
}
