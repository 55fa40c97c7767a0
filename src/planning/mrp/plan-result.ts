/** Turns the planned supply (index-keyed arrays) into the published result, item code order. */
import { formatDate } from './calendar-date.ts';
import type { MrpException, MrpResult, PlannedOrder } from './model.ts';
import type { PegSets } from './peg-sets.ts';
import type { PreparedMrp } from './prepare.ts';
import { fromMicro } from './quantity.ts';

/** planned orders as parallel arrays, grouped by item, each item's in due-date order */
export interface PlannedSupply {
  item: number[];
  due: number[];
  /** µ */
  qty: number[];
  /** peg set id */
  peg: number[];
  /** orders of item i: first[i] .. first[i] + count[i] − 1 */
  first: Int32Array;
  count: Int32Array;
}

export function toResult(p: PreparedMrp, pegs: PegSets, supply: PlannedSupply): MrpResult {
  const plannedOrders: PlannedOrder[] = new Array(supply.item.length);
  const exceptions: MrpException[] = [];
  const dateText = dateCache(p, supply);
  let out = 0;
  for (let i = 0; i < p.itemCount; i++) {
    const itemCode = p.codes[i];
    const kind = p.purchased[i] ? 'purchase' : 'make';
    const leadTime = p.leadTime[i];
    const first = supply.first[i];
    const last = first + supply.count[i];
    if (kind === 'make' && !p.hasBom[i] && last > first) exceptions.push({ kind: 'missing-bom', itemCode });
    for (let po = first; po < last; po++) {
      const dueDay = supply.due[po];
      const releaseDay = dueDay - leadTime;
      const order: PlannedOrder = {
        itemCode,
        qty: fromMicro(supply.qty[po]),
        kind,
        releaseDate: dateText(releaseDay),
        dueDate: dateText(dueDay),
        peggedTo: pegs.members(supply.peg[po], p.refs),
      };
      plannedOrders[out++] = order;
      if (releaseDay < p.today) {
        exceptions.push({
          kind: 'past-due-release',
          itemCode,
          qty: order.qty,
          releaseDate: order.releaseDate,
          dueDate: order.dueDate,
          daysLate: p.today - releaseDay,
          peggedTo: order.peggedTo.slice(),
        });
      }
    }
  }
  return { plannedOrders, exceptions };
}

/** 'YYYY-MM-DD' of each day number, formatted once */
function dateCache(p: PreparedMrp, supply: PlannedSupply): (day: number) => string {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let maxLead = 0;
  for (let i = 0; i < p.itemCount; i++) if (p.leadTime[i] > maxLead) maxLead = p.leadTime[i];
  for (const day of supply.due) {
    if (day < min) min = day;
    if (day > max) max = day;
  }
  min -= maxLead;
  const texts: (string | undefined)[] = max - min < 1_000_000 ? new Array(max - min + 1).fill(undefined) : [];
  const fallback = new Map<number, string>();
  return (day) => {
    if (texts.length > 0) return (texts[day - min] ??= formatDate(day));
    let text = fallback.get(day);
    if (text === undefined) fallback.set(day, (text = formatDate(day)));
    return text;
  };
}
