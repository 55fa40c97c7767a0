import { num, type Queryable } from '../../platform/index.ts';

/** A row of erp.journal_entries. */
export interface JournalEntryRow {
  id: number;
  at: Date;
  memo: string;
  sales_order_id: string | null;
  work_order_id: string | null;
  ref: string | null;
}

/** A row of erp.journal_lines. */
export interface JournalLineRow {
  entry_id: number;
  position: number;
  account: string;
  debit: string;
  credit: string;
}

/** What a work order has cost so far, as numerics. */
interface WorkOrderCostRow {
  id: string;
  material: string;
  received: string;
  labor: string;
  machine: string;
  energy: string;
}

/** What a work order has cost so far: issued material at lot cost, booked time, and what its lots took out of WIP. */
export async function workOrderCosts(q: Queryable, workOrderIds: string[]) {
  const rows = await q.query<WorkOrderCostRow>(
    `select w.id,
            coalesce((select -sum(m.qty * m.unit_cost) from erp.stock_moves m where m.kind = 'issue' and m.work_order_id = w.id), 0) as material,
            coalesce((select sum(m.qty * m.unit_cost) from erp.stock_moves m where m.kind = 'production_receipt' and m.work_order_id = w.id), 0) as received,
            coalesce(c.labor, 0) as labor, coalesce(c.machine, 0) as machine, coalesce(c.energy, 0) as energy
       from unnest($1::text[]) as w(id)
       left join (select work_order_id, sum(labor_cost) as labor, sum(machine_cost) as machine, sum(energy_cost) as energy
                    from erp.cost_bookings where work_order_id = any($1) group by work_order_id) c on c.work_order_id = w.id`,
    [workOrderIds],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { material: num(r.material), received: num(r.received), labor: num(r.labor), machine: num(r.machine), energy: num(r.energy) },
    ]),
  );
}
