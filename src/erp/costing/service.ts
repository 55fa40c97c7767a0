import { add, money, mul, num, sub, type Queryable } from '../../platform/index.ts';
import type { ItemRow } from '../items/store.ts';
import { orderOf } from '../sales/store.ts';
import { workOrdersOf } from '../sales/work-orders.ts';
import { workOrderCosts } from './store.ts';

const total = (c: { material: number; labor: number; machine: number; energy?: number }) => money(add(c.material, c.labor, c.machine, c.energy ?? 0));

/**
 * Standard and actual cost of a sales order over all its work orders. Standard: the BOM materials
 * at standard cost (frozen at approval) + the routing's labour and machine at the rates in force
 * (from the MES's acknowledgement). Actual: consumed lots at their cost + booked labour, machine
 * and energy. A semi-finished lot made by a work order of the same order and consumed by its
 * parent is not counted again: its material and time are already in.
 */
export async function orderCost(q: Queryable, id: string) {
  const o = await orderOf(q, id);
  const std = { material: 0, labor: 0, machine: 0 };
  for (const l of o.lines) {
    let material = l.standard.material;
    if (o.status === 'draft') {
      const [i] = await q.query<Pick<ItemRow, 'standard_cost'>>('select standard_cost from erp.items where code = $1', [l.itemCode]);
      material = mul(l.qty, num(i?.standard_cost));
    }
    std.material = add(std.material, material);
    std.labor = add(std.labor, l.standard.labor);
    std.machine = add(std.machine, l.standard.machine);
  }
  const wos = await workOrdersOf(q, id);
  const extra = await q.query<{ work_order_id: string }>(`select distinct work_order_id from erp.stock_moves where sales_order_id = $1 and work_order_id is not null`, [id]);
  const ids = [...new Set([...wos.map((w) => w.id), ...extra.map((r) => r.work_order_id)])];
  const costs = await workOrderCosts(q, ids);
  const internal = await q.query<{ work_order_id: string; value: string }>(
    `select m.work_order_id, -sum(m.qty * m.unit_cost) as value from erp.stock_moves m
       join erp.lots l on l.item_code = m.item_code and l.lot = m.lot
      where m.kind = 'issue' and m.work_order_id = any($1) and l.work_order_id = any($1) group by m.work_order_id`,
    [ids],
  );
  const internalBy = new Map(internal.map((r) => [r.work_order_id, num(r.value)]));
  const act = { material: 0, labor: 0, machine: 0, energy: 0 };
  const workOrders = ids.map((wid) => {
    const c = costs.get(wid)!;
    const w = wos.find((x) => x.id === wid);
    const bought = sub(c.material, internalBy.get(wid) ?? 0);
    act.material = add(act.material, bought);
    act.labor = add(act.labor, c.labor);
    act.machine = add(act.machine, c.machine);
    act.energy = add(act.energy, c.energy);
    return {
      id: wid,
      itemCode: w?.itemCode ?? null,
      lineNo: w?.lineNo ?? null,
      actual: { material: money(c.material), labor: money(c.labor), machine: money(c.machine), energy: money(c.energy), total: total(c) },
      fromOwnLots: money(internalBy.get(wid) ?? 0),
    };
  });
  const standard = { material: money(std.material), labor: money(std.labor), machine: money(std.machine) };
  const actual = { material: money(act.material), labor: money(act.labor), machine: money(add(act.machine, act.energy)), energy: money(act.energy) };
  const standardTotal = total(standard);
  const actualTotal = money(add(actual.material, actual.labor, actual.machine));
  return {
    salesOrderId: id,
    standard: { ...standard, total: standardTotal },
    actual: { ...actual, total: actualTotal },
    variance: money(sub(actualTotal, standardTotal)),
    workOrders,
  };
}
