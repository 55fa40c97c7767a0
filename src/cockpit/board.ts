import { erpDeliveryStates } from '../erp/index.ts';
import { mesWipByWorkCenter } from '../mes/index.ts';
import type { Actor, Clock, Queryable } from '../platform/index.ts';
import { plantOf } from './kpis.ts';

/**
 * The cockpit's charts that used to be drawn from whole lists: order lines by delivery state
 * (delivered = in the last 30 days; the ERP's orders carry no plant, so every plant's) and what is
 * left of open work by work centre (of one plant when asked, or the caller's only plant).
 */
export async function cockpitBoard(q: Queryable, clock: Clock, window: { plant?: string }, actor?: Pick<Actor, 'scope'>) {
  const plant = plantOf(window.plant, actor) ?? null;
  const now = clock.now();
  const [delivery, wip] = await Promise.all([erpDeliveryStates(q, { now, since: new Date(now.getTime() - 30 * 86_400_000) }), mesWipByWorkCenter(q, plant)]);
  return { delivery, wip, plant };
}
