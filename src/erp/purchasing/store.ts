import { z } from 'zod';
import { containsPattern, num, PageBounds, type Queryable } from '../../platform/index.ts';

/** A row of erp.purchase_requisitions, with its need date as text (`need_date::text as need`). */
export interface RequisitionRow {
  id: string;
  item_code: string;
  qty: string;
  reason: 'reorder' | 'mrp';
  status: 'open' | 'converted' | 'cancelled';
  need_date: Date | null;
  need: string | null;
  purchase_order_id: string | null;
  created_at: Date;
}

/** A row of erp.purchase_orders. */
export interface PurchaseOrderRow {
  id: string;
  supplier: string;
  status: 'open' | 'received' | 'cancelled';
  created_at: Date;
}

/** A row of erp.purchase_order_lines, with its due date as text (`due_date::text as due`). */
export interface PurchaseOrderLineRow {
  order_id: string;
  line_no: number;
  item_code: string;
  qty: string;
  received_qty: string;
  unit_cost: string;
  due_date: Date | null;
  due: string | null;
  requisition_id: string | null;
}

/**
 * Pages of the purchasing lists for screens (`?q=&sort=&limit=&offset=`, beside the filters): one
 * statement a page, never the whole table. Ids are sequential (PR-/PO-000001), so `id` order is the
 * order they were raised in.
 */
const Page = {
  ...PageBounds,
  sort: z.enum(['id', '-id']).optional(),
};
export const RequisitionQuery = z.object({ itemCode: z.string().optional(), status: z.enum(['open', 'converted', 'cancelled']).optional(), ...Page });
export const PurchaseOrderQuery = z.object({ status: z.enum(['open', 'received', 'cancelled']).optional(), ...Page });
type RequisitionQuery = z.infer<typeof RequisitionQuery>;
type PurchaseOrderQuery = z.infer<typeof PurchaseOrderQuery>;

/** Whether a list query asks for a page (otherwise the list answers as before); a page without `limit` has 50 rows. */

const direction = (sort: string | undefined, fallback: 'asc' | 'desc') => (sort === '-id' ? 'desc' : sort === 'id' ? 'asc' : fallback);


/** A requisition as the contract shows it. */
export const requisitionView = (r: Omit<RequisitionRow, 'need_date'>) => ({
  id: r.id,
  itemCode: r.item_code,
  qty: num(r.qty),
  reason: r.reason,
  status: r.status,
  needDate: r.need,
  purchaseOrderId: r.purchase_order_id,
  createdAt: r.created_at.toISOString(),
});

/** Requisitions of one page (oldest first unless `sort=-id`); `q` searches the id and the item code. */
export async function requisitionPage(q: Queryable, f: RequisitionQuery) {
  const rows = await q.query<Omit<RequisitionRow, 'need_date'>>(
    `select id, item_code, qty, reason, status, need_date::text as need, purchase_order_id, created_at from erp.purchase_requisitions
      where ($1::text is null or item_code = $1) and ($2::text is null or status = $2) and ($3::text is null or id ilike $3 or item_code ilike $3)
      order by id ${direction(f.sort, 'asc')} limit $4 offset $5`,
    [f.itemCode ?? null, f.status ?? null, f.q ? containsPattern(f.q) : null, f.limit ?? 50, f.offset ?? 0],
  );
  return rows.map(requisitionView);
}

type PurchaseOrderPageRow = PurchaseOrderRow & {
  lines: { lineNo: number; itemCode: string; qty: string; receivedQty: string; unitCost: string; dueDate: string | null; requisitionId: string | null }[];
};

/** Purchase orders of one page with their lines (newest first unless `sort=id`); `q` searches the id and the supplier. */
export async function purchaseOrderPage(q: Queryable, f: PurchaseOrderQuery) {
  const dir = direction(f.sort, 'desc');
  const rows = await q.query<PurchaseOrderPageRow>(
    `with page as (
       select id, supplier, status, created_at from erp.purchase_orders
        where ($1::text is null or status = $1) and ($2::text is null or id ilike $2 or supplier ilike $2)
        order by id ${dir} limit $3 offset $4)
     select p.id, p.supplier, p.status, p.created_at,
            coalesce((select json_agg(json_build_object('lineNo', l.line_no, 'itemCode', l.item_code, 'qty', l.qty::text, 'receivedQty', l.received_qty::text,
                                                        'unitCost', l.unit_cost::text, 'dueDate', l.due_date::text, 'requisitionId', l.requisition_id) order by l.line_no)
                        from erp.purchase_order_lines l where l.order_id = p.id), '[]'::json) as lines
       from page p order by p.id ${dir}`,
    [f.status ?? null, f.q ? containsPattern(f.q) : null, f.limit ?? 50, f.offset ?? 0],
  );
  return rows.map((o) => ({
    id: o.id,
    supplier: o.supplier,
    status: o.status,
    createdAt: o.created_at.toISOString(),
    lines: o.lines.map((l) => ({ lineNo: l.lineNo, itemCode: l.itemCode, qty: num(l.qty), receivedQty: num(l.receivedQty), unitCost: num(l.unitCost), dueDate: l.dueDate, requisitionId: l.requisitionId })),
  }));
}
