/**
 * Writes the published result while items are planned (in low-level-code order) and hands it
 * back in item-code order: planned orders by itemCode then dueDate, exceptions likewise.
 */
import { formatDate } from './calendar-date.ts';
import type { MrpException, MrpResult, PlannedOrder } from './model.ts';
import type { PegSets } from './peg-sets.ts';
import type { PreparedMrp } from './prepare.ts';
import { fromMicro } from './quantity.ts';

const CACHED_DAYS = 8192;

export class ResultWriter {
  private readonly ordersOf: PlannedOrder[][];
  private readonly exceptionsOf: (MrpException[] | undefined)[];
  private orderCount = 0;
  /** 'YYYY-MM-DD' of today ± CACHED_DAYS, formatted once */
  private readonly dateTexts: (string | undefined)[] = new Array(2 * CACHED_DAYS).fill(undefined);

  constructor(
    private readonly p: PreparedMrp,
    private readonly pegs: PegSets,
  ) {
    this.ordersOf = new Array(p.itemCount);
    this.exceptionsOf = new Array(p.itemCount).fill(undefined);
  }

  /**
   * The planned orders of item i, in due-day order: due day, qty (µ), peg set — or, where given,
   * the refs themselves (an order with no entry in `refs` is pegged to nothing).
   */
  writeItem(i: number, count: number, due: Int32Array, qty: Float64Array, peg: Int32Array, refs?: string[][]): void {
    const { p, pegs } = this;
    const itemCode = p.codes[i];
    const kind = p.purchased[i] ? 'purchase' : 'make';
    const leadTime = p.leadTime[i];
    const orders: PlannedOrder[] = new Array(count);
    let exceptions: MrpException[] | undefined;
    if (kind === 'make' && !p.hasBom[i] && count > 0) exceptions = [{ kind: 'missing-bom', itemCode }];
    for (let k = 0; k < count; k++) {
      const dueDay = due[k];
      const releaseDay = dueDay - leadTime;
      const order: PlannedOrder = {
        itemCode,
        qty: fromMicro(qty[k]),
        kind,
        releaseDate: this.date(releaseDay),
        dueDate: this.date(dueDay),
        peggedTo: refs ? (refs[k] ?? []) : pegs.members(peg[k], p.refs),
      };
      orders[k] = order;
      if (releaseDay < p.today) {
        (exceptions ??= []).push({
          kind: 'past-due-release',
          itemCode,
          qty: order.qty,
          releaseDate: order.releaseDate,
          dueDate: order.dueDate,
          daysLate: p.today - releaseDay,
          peggedTo: order.peggedTo,
        });
      }
    }
    this.ordersOf[i] = orders;
    this.exceptionsOf[i] = exceptions;
    this.orderCount += count;
  }

  result(): MrpResult {
    const plannedOrders: PlannedOrder[] = new Array(this.orderCount);
    const exceptions: MrpException[] = [];
    let out = 0;
    for (let i = 0; i < this.p.itemCount; i++) {
      const orders = this.ordersOf[i];
      for (let k = 0; k < orders.length; k++) plannedOrders[out++] = orders[k];
      const itemExceptions = this.exceptionsOf[i];
      if (itemExceptions) for (const exception of itemExceptions) exceptions.push(exception);
    }
    return { plannedOrders, exceptions };
  }

  private date(day: number): string {
    const slot = day - this.p.today + CACHED_DAYS;
    if (slot < 0 || slot >= 2 * CACHED_DAYS) return formatDate(day);
    return (this.dateTexts[slot] ??= formatDate(day));
  }
}
