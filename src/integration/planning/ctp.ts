import { erpPlanningInputs } from '../../erp/index.ts';
import { mesPlanningInputs, mesRouting } from '../../mes/index.ts';
import { addDays, runMrp, type ShopWorkOrder } from '../../planning/index.ts';
import { isoDay, unprocessable, type Clock, type Queryable } from '../../platform/index.ts';
import { mrpInputs } from './service.ts';
import { instantAt, minutesFrom } from './shop-problem.ts';
import { solveInWorker } from './solver.ts';

const CTP_REF = 'CTP';

/**
 * Capable-to-promise: the earliest completion of a new order of `qty` of an item.
 * Material: MRP with the new order added; every purchase it needs for it arrives after its lead
 * time from today. Capacity: the order's work orders (one per BOM level with a routing) are
 * inserted into the current plan, which stays as it is (frozen), released when material is there;
 * they may use their operations' alternative work centres and pay changeovers from the setup matrix.
 */
export async function capableToPromise(q: Queryable, clock: Clock, itemCode: string, qty: number, utcOffsetMinutes = 0) {
  const erp = await erpPlanningInputs(q);
  const item = erp.items.find((i) => i.code === itemCode);
  if (!item) throw unprocessable(`unknown item ${itemCode}`, { field: 'itemCode' });
  const now = clock.now();
  const today = isoDay(now);

  const input = await mrpInputs(q, clock);
  input.demands.push({ itemCode, qty, dueDate: today, ref: CTP_REF });
  const mrp = runMrp(input);
  let materialDay = today;
  for (const po of mrp.plannedOrders) {
    if (po.kind !== 'purchase' || !po.peggedTo.includes(CTP_REF)) continue;
    const lead = erp.items.find((i) => i.code === po.itemCode)?.leadTimeDays ?? 0;
    const arrives = addDays(today, lead);
    if (arrives > materialDay) materialDay = arrives;
  }

  // The order's work orders: one per level of made items, children before parents.
  const bomOf = new Map(erp.boms.map((b) => [b.parent, b.components]));
  const kindOf = new Map(erp.items.map((i) => [i.code, i.kind]));
  const newOrders: ShopWorkOrder[] = [];
  let n = 0;
  const explode = async (code: string, need: number): Promise<string | null> => {
    const routing = await mesRouting(q, code);
    const children: string[] = [];
    for (const c of bomOf.get(code) ?? []) {
      if (kindOf.get(c.itemCode) === 'raw' || !bomOf.has(c.itemCode)) continue;
      const last = await explode(c.itemCode, need * c.qty * (1 + (c.scrapFactor ?? 0)));
      if (last) children.push(last);
    }
    if (!routing.length) return children[0] ?? null;
    const id = `CTP-${++n}`;
    newOrders.push({
      id,
      operations: routing.map((o, k) => ({
        id: `${id}-${o.seq}`,
        workCenter: o.workCenter,
        durationMinutes: Math.ceil(o.setupMinutes + o.minutesPerUnit * need),
        // the new order may take an alternative centre, and pays the changeover into its family
        ...(o.alternatives.length ? { alternatives: o.alternatives } : {}),
        ...(o.setupFamily ? { setupFamily: o.setupFamily } : {}),
        ...(k === 0 && children.length ? { predecessors: children } : {}),
      })),
    });
    return `${id}-${routing[routing.length - 1].seq}`;
  };
  await explode(itemCode, qty);

  const origin = Math.floor(now.getTime() / 60_000) * 60_000;
  const inputs = await mesPlanningInputs(q, { utcOffsetMinutes });
  const release = Math.max(0, minutesFrom(origin, `${materialDay}T00:00:00Z`));
  let completion = release;
  if (newOrders.length) {
    // the insertion runs in a worker thread: the server keeps answering meanwhile
    const { plan } = await solveInWorker({ kind: 'ctp', inputs, origin, newOrders, release }).catch((e: Error) => {
      throw e.name === 'ShopProblemError' ? unprocessable(e.message) : e;
    });
    const mine = new Set(newOrders.map((w) => w.id));
    if (plan) completion = Math.max(...plan.workOrders.filter((w) => mine.has(w.id)).map((w) => w.completion));
  }
  const date = instantAt(origin, completion).slice(0, 10);
  // Which constraint decides: material when the order could not start before it arrives.
  const limitedBy = materialDay > today ? 'material' : 'capacity';
  return { itemCode, qty, date, limitedBy, materialAvailableDate: materialDay, completionAt: instantAt(origin, completion) };
}
