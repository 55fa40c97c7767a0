import { z } from 'zod';
import { containsPattern, num, PageBounds, type Queryable } from '../../platform/index.ts';
import { instant } from '../shared.ts';
import { ORDER_STATUSES, progressByStandard, type WorkDone } from './model.ts';
import { orderView, type SalesOrder, type SalesOrderLineRow, type SalesOrderRow } from './store.ts';

/**
 * Pages of the sales-order list for screens (`?q=&sort=&limit=&offset=`, beside the status and
 * customer filters): one statement a page, never the whole table. Ids are sequential (SO-000001),
 * so `id` order is the order they were entered in; `dueDate` is an order's first line due date.
 */
export const SalesOrderQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  customer: z.string().optional(),
  ...PageBounds,
  sort: z.enum(['id', '-id', 'dueDate', '-dueDate']).optional(),
});
type SalesOrderQuery = z.infer<typeof SalesOrderQuery>;


/**
 * The page's order (newest first unless asked otherwise); ties on the due date go by id the same
 * way. Bare names: the page's own columns, inside it and outside.
 */
const ORDER_BY: Record<NonNullable<SalesOrderQuery['sort']>, string> = {
  id: 'id asc',
  '-id': 'id desc',
  dueDate: 'first_due asc nulls last, id asc',
  '-dueDate': 'first_due desc nulls last, id desc',
};

/** One row a line of an order of the page, with the line's work orders as progress counts them. */
type PageLineRow = Omit<SalesOrderRow, 'cancelled_at'> &
  Pick<SalesOrderLineRow, 'item_code' | 'qty' | 'due' | 'bom_version' | 'planned_start' | 'planned_end' | 'promise' | 'produced_qty' | 'scrapped_qty'
    | 'shipped_qty' | 'ordered_uom' | 'ordered_qty' | 'change_status' | 'change_reason' | 'standard_material' | 'standard_labor' | 'standard_machine'> & {
    line_no: number | null;
    line_status: string;
    done: { standardMinutes: string | null; qty: string; goodQty: string; status: string }[];
  };

/** Sales orders of one page, each as `GET /sales-orders/:id` answers it; `q` searches the id and the customer's code and name. */
export async function salesOrderPage(q: Queryable, f: SalesOrderQuery) {
  const order = ORDER_BY[f.sort ?? '-id'];
  const rows = await q.query<PageLineRow>(
    `with page as (
       select o.id, o.customer, o.status, o.created_at, o.released_at, o.completed_at, o.shipped_at,
              (select min(l.due_date) from erp.sales_order_lines l where l.order_id = o.id) as first_due
         from erp.sales_orders o
        where ($1::text is null or o.status = $1) and ($2::text is null or o.customer = $2)
          and ($3::text is null or o.id ilike $3 or o.customer ilike $3
               or exists (select 1 from erp.customers c where c.code = o.customer and c.name ilike $3))
        order by ${order} limit $4 offset $5)
     select p.id, p.customer, p.status, p.created_at, p.released_at, p.completed_at, p.shipped_at,
            l.line_no, l.item_code, l.qty, l.due_date::text as due, l.bom_version, l.status as line_status, l.planned_start, l.planned_end,
            l.promise_date::text as promise, l.produced_qty, l.scrapped_qty, l.shipped_qty, l.ordered_uom, l.ordered_qty, l.change_status, l.change_reason,
            l.standard_material, l.standard_labor, l.standard_machine,
            coalesce((select json_agg(json_build_object('standardMinutes', w.standard_minutes::text, 'qty', w.qty::text, 'goodQty', w.good_qty::text, 'status', w.status))
                        from erp.work_orders w where w.sales_order_id = p.id and w.line_no = l.line_no), '[]'::json) as done
       from page p left join erp.sales_order_lines l on l.order_id = p.id
      order by ${order}, l.line_no`,
    [f.status ?? null, f.customer ?? null, f.q ? containsPattern(f.q) : null, f.limit ?? 50, f.offset ?? 0],
  );
  const orders = new Map<string, SalesOrder>();
  for (const r of rows) {
    let o = orders.get(r.id);
    if (!o) {
      o = { id: r.id, customer: r.customer, status: r.status, createdAt: instant(r.created_at)!, releasedAt: instant(r.released_at), completedAt: instant(r.completed_at), shippedAt: instant(r.shipped_at), lines: [] };
      orders.set(r.id, o);
    }
    if (r.line_no === null) continue;
    const done: WorkDone[] = r.done.map((w) => ({ standardMinutes: w.standardMinutes === null ? null : num(w.standardMinutes), qty: num(w.qty), goodQty: num(w.goodQty), status: w.status }));
    o.lines.push({
      lineNo: Number(r.line_no),
      itemCode: r.item_code,
      qty: num(r.qty),
      dueDate: r.due,
      bomVersion: r.bom_version === null ? null : Number(r.bom_version),
      status: r.line_status,
      plannedStart: instant(r.planned_start),
      plannedEnd: instant(r.planned_end),
      promiseDate: r.promise ?? null,
      producedQty: num(r.produced_qty),
      scrappedQty: num(r.scrapped_qty),
      shippedQty: num(r.shipped_qty),
      progress: progressByStandard(done, num(r.produced_qty), num(r.qty)),
      orderedUom: r.ordered_uom ?? null,
      orderedQty: r.ordered_qty === null ? null : num(r.ordered_qty),
      changeStatus: r.change_status,
      changeReason: r.change_reason,
      standard: { material: num(r.standard_material), labor: num(r.standard_labor), machine: num(r.standard_machine) },
    });
  }
  return [...orders.values()].map(orderView);
}
