import { erpKpiFacts } from '../erp/index.ts';
import { mesKpiFacts } from '../mes/index.ts';
import { badRequest, forbidden, meanAlertResponseMinutes, type Actor, type Clock, type Queryable } from '../platform/index.ts';

export interface KpiWindow {
  plant?: string;
  from?: string;
  to?: string;
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * The management cockpit's KPIs (the seed's: delivery accuracy and cycle, inventory turnover,
 * abnormal-response time; plus WIP, OEE, first-pass yield), over a window (default: the last 30
 * days), from both sides' doors. A KPI with nothing to measure in the window is null.
 */
export async function cockpitKpis(q: Queryable, clock: Clock, window: KpiWindow = {}, actor?: Pick<Actor, 'scope'>) {
  const w = { ...window, plant: plantOf(window.plant, actor) };
  const to = w.to ? new Date(w.to) : clock.now();
  const from = w.from ? new Date(w.from) : new Date(to.getTime() - 30 * 86_400_000);
  const [erp, mes, response, alerts] = await Promise.all([
    erpKpiFacts(q, { from, to }),
    mesKpiFacts(q, { from, to, plant: w.plant ?? null }),
    meanAlertResponseMinutes(q, { from, to, plant: w.plant }),
    q.query<{ n: number }>(`select count(*)::int as n from platform.alerts where acknowledged_at is null and ($1::text is null or plant = $1 or plant is null)`, [w.plant ?? null]),
  ]);
  const days = Math.max(1, (to.getTime() - from.getTime()) / 86_400_000);
  // Turnover per year: cost of goods sold in the window, annualised, over the stock value now.
  const turnover = erp.inventoryValue > 0 ? Math.round(((erp.costOfGoodsSold * 365) / days / erp.inventoryValue) * 100) / 100 : null;
  return {
    onTimeDeliveryRate: ratio(erp.shippedOnTime, erp.ordersShipped),
    openOrders: erp.openOrders,
    wipQty: mes.wipQty,
    oee: mes.oee,
    firstPassYield: mes.firstPassYield,
    inventoryValue: Math.round(erp.inventoryValue * 100) / 100,
    openAlerts: alerts[0].n,
    deliveryCycleDays: erp.meanDeliveryCycleDays,
    inventoryTurnover: turnover,
    meanAlertResponseMinutes: response,
    window: { from: from.toISOString(), to: to.toISOString(), plant: w.plant ?? null },
  };
}

/**
 * The plant a caller's KPIs are of: a user scoped to plants reads only those (one of them by
 * `?plant=`, or their only one by default); another plant is 403.
 */
export function plantOf(asked: string | undefined, actor?: Pick<Actor, 'scope'>): string | undefined {
  const plants = actor?.scope?.plants?.length ? actor.scope.plants : null;
  if (!plants) return asked;
  if (asked !== undefined) {
    if (!plants.includes(asked)) throw forbidden(`plant ${asked} is outside your data scope`, { plant: asked });
    return asked;
  }
  if (plants.length === 1) return plants[0];
  throw badRequest(`name one of your plants (${plants.join(', ')}) with ?plant=`, { plants });
}
