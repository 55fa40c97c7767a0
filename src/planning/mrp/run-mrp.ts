/**
 * The MRP run: items are planned level by level (low-level code order). For each item, gross
 * requirements (independent demands + dependent demand posted by already planned parents) are
 * netted per daily bucket against on-hand and scheduled receipts in date order, keeping safety
 * stock; each shortfall becomes a planned order (lot-sized), due that day and released lead-time
 * days before. Supplies are pegged to requirements first-in-first-out, so a planned order pegs to
 * the top-level refs of every requirement it serves; a made item's planned orders then post
 * dependent demand (qty × component qty × (1 + scrap)) on their release date, carrying those refs.
 */
import { formatDate } from './calendar-date.ts';
import type { MrpException, MrpInput, MrpOptions, MrpResult, PlannedOrder } from './model.ts';
import { PegSets } from './peg-sets.ts';
import { LOT_FIXED, LOT_MINIMUM, prepareMrp, type PreparedMrp } from './prepare.ts';
import { applyFactor, fromMicro } from './quantity.ts';

/** planned orders as parallel arrays, grouped by item */
interface PlannedSupply {
  item: number[];
  due: number[];
  qty: number[];
  peg: number[];
  /** orders of item i: first[i] .. first[i] + count[i] − 1 */
  first: Int32Array;
  count: Int32Array;
}

export function runMrp(input: MrpInput, opts: MrpOptions = {}): MrpResult {
  const prepared = prepareMrp(input);
  const pegs = new PegSets(prepared.refs.length);
  const supply = plan(prepared, pegs, opts.pegging ?? true);
  return toResult(prepared, pegs, supply);
}

function plan(p: PreparedMrp, pegs: PegSets, pegging: boolean): PlannedSupply {
  const n = p.itemCount;
  const today = p.today;
  const supply: PlannedSupply = {
    item: [], due: [], qty: [], peg: [],
    first: new Int32Array(n), count: new Int32Array(n),
  };
  // dependent requirements: per-item linked lists in posting order
  const depDay: number[] = [];
  const depQty: number[] = [];
  const depPeg: number[] = [];
  const depNext: number[] = [];
  const depHead = new Int32Array(n).fill(-1);
  const depTail = new Int32Array(n).fill(-1);

  // per-item scratch, grown on demand: gross requirements sorted by day, and the supply queue
  let capacity = 0;
  let reqDay = new Int32Array(0);
  let reqQty = new Float64Array(0);
  let reqPeg = new Int32Array(0);
  let tmpDay = new Int32Array(0);
  let tmpQty = new Float64Array(0);
  let tmpPeg = new Int32Array(0);
  let sortKey = new Float64Array(0);
  let supplyCapacity = 0;
  let supQty = new Float64Array(0);
  let supOrder = new Int32Array(0);

  for (let o = 0; o < n; o++) {
    const i = p.planningOrder[o];
    const demandFrom = p.demandStart[i];
    const demandTo = p.demandStart[i + 1];
    const receiptFrom = p.receiptStart[i];
    const receiptTo = p.receiptStart[i + 1];

    // 1. gross requirements: independent (sorted by day, ref) then dependent (posting order)
    let reqCount = demandTo - demandFrom;
    for (let k = depHead[i]; k !== -1; k = depNext[k]) reqCount++;
    if (reqCount > capacity) {
      capacity = Math.max(reqCount, capacity * 2, 64);
      reqDay = new Int32Array(capacity); reqQty = new Float64Array(capacity); reqPeg = new Int32Array(capacity);
      tmpDay = new Int32Array(capacity); tmpQty = new Float64Array(capacity); tmpPeg = new Int32Array(capacity);
      sortKey = new Float64Array(capacity);
    }
    let count = 0;
    let minDay = Number.POSITIVE_INFINITY;
    let sorted = true;
    for (let k = demandFrom; k < demandTo; k++, count++) {
      reqDay[count] = p.demandDay[k];
      reqQty[count] = p.demandQty[k];
      reqPeg[count] = pegging ? p.demandRef[k] : pegs.empty;
    }
    if (count > 0) minDay = reqDay[0];
    for (let k = depHead[i]; k !== -1; k = depNext[k], count++) {
      const day = depDay[k];
      if (count > 0 && day < reqDay[count - 1]) sorted = false;
      if (day < minDay) minDay = day;
      reqDay[count] = day;
      reqQty[count] = depQty[k];
      reqPeg[count] = depPeg[k];
    }
    if (!sorted) {
      // stable sort by day: key = (day − minDay) · count + position
      for (let k = 0; k < count; k++) sortKey[k] = (reqDay[k] - minDay) * count + k;
      const keys = sortKey.subarray(0, count).sort();
      for (let k = 0; k < count; k++) {
        const from = keys[k] % count;
        tmpDay[k] = reqDay[from]; tmpQty[k] = reqQty[from]; tmpPeg[k] = reqPeg[from];
      }
      [reqDay, tmpDay] = [tmpDay, reqDay];
      [reqQty, tmpQty] = [tmpQty, reqQty];
      [reqPeg, tmpPeg] = [tmpPeg, reqPeg];
    }

    // 2. net per daily bucket, plan orders, peg supplies FIFO
    const maxSupplies = 2 + (receiptTo - receiptFrom) + count;
    if (maxSupplies > supplyCapacity) {
      supplyCapacity = Math.max(maxSupplies, supplyCapacity * 2, 64);
      supQty = new Float64Array(supplyCapacity);
      supOrder = new Int32Array(supplyCapacity);
    }
    const safety = p.safetyStock[i];
    const rule = p.lotRule[i];
    const lot = p.lotQty[i];
    let balance = p.onHand[i];
    let supplies = 0;
    let head = 0;
    let unionFor = -1;
    if (balance > 0) {
      supQty[0] = balance;
      supOrder[0] = -1;
      supplies = 1;
    }
    supply.first[i] = supply.item.length;
    let g = 0;
    let r = receiptFrom;
    let todayPending = safety > 0;
    for (;;) {
      let day = g < count ? reqDay[g] : Number.POSITIVE_INFINITY;
      if (r < receiptTo && p.receiptDay[r] < day) day = p.receiptDay[r];
      if (todayPending && today <= day) {
        day = today;
        todayPending = false;
      }
      if (day === Number.POSITIVE_INFINITY) break;
      for (; r < receiptTo && p.receiptDay[r] === day; r++) {
        balance += p.receiptQty[r];
        supQty[supplies] = p.receiptQty[r];
        supOrder[supplies++] = -1;
      }
      const bucketFrom = g;
      for (; g < count && reqDay[g] === day; g++) balance -= reqQty[g];
      if (balance < safety) {
        const net = safety - balance;
        const qty = rule === LOT_FIXED ? Math.ceil(net / lot) * lot : rule === LOT_MINIMUM && net < lot ? lot : net;
        balance += qty;
        supQty[supplies] = qty;
        supOrder[supplies++] = supply.item.length;
        supply.item.push(i);
        supply.due.push(day);
        supply.qty.push(qty);
        supply.peg.push(pegs.empty);
      }
      if (!pegging) continue;
      for (let k = bucketFrom; k < g; k++) {
        let need = reqQty[k];
        const peg = reqPeg[k];
        while (need > 0 && head < supplies) {
          const order = supOrder[head];
          if (order >= 0) {
            if (unionFor !== head) {
              pegs.beginUnion();
              unionFor = head;
            }
            pegs.addToUnion(peg);
          }
          const available = supQty[head];
          if (available > need) {
            supQty[head] = available - need;
            need = 0;
          } else {
            need -= available;
            if (order >= 0) supply.peg[order] = pegs.endUnion();
            head++;
          }
        }
      }
    }
    if (pegging && unionFor === head && head < supplies && supOrder[head] >= 0) {
      supply.peg[supOrder[head]] = pegs.endUnion();
    }
    supply.count[i] = supply.item.length - supply.first[i];

    // 3. explode made items: dependent demand on the release date, pegged like the order
    if (p.purchased[i] || !p.hasBom[i]) continue;
    const leadTime = p.leadTime[i];
    const bomFrom = p.bomStart[i];
    const bomTo = p.bomStart[i + 1];
    for (let po = supply.first[i]; po < supply.item.length; po++) {
      const release = supply.due[po] - leadTime;
      const parentQty = supply.qty[po];
      const peg = supply.peg[po];
      for (let e = bomFrom; e < bomTo; e++) {
        const qty = applyFactor(parentQty, p.bomFactor[e]);
        if (qty === 0) continue;
        const child = p.bomChild[e];
        const k = depDay.length;
        depDay.push(release);
        depQty.push(qty);
        depPeg.push(peg);
        depNext.push(-1);
        if (depTail[child] === -1) depHead[child] = k;
        else depNext[depTail[child]] = k;
        depTail[child] = k;
      }
    }
  }
  return supply;
}

function toResult(p: PreparedMrp, pegs: PegSets, supply: PlannedSupply): MrpResult {
  const dates = new Map<number, string>();
  const date = (day: number): string => {
    let text = dates.get(day);
    if (text === undefined) {
      text = formatDate(day);
      dates.set(day, text);
    }
    return text;
  };
  const plannedOrders: PlannedOrder[] = new Array(supply.item.length);
  const exceptions: MrpException[] = [];
  let out = 0;
  for (let i = 0; i < p.itemCount; i++) {
    const itemCode = p.codes[i];
    const kind = p.purchased[i] ? 'purchase' : 'make';
    const first = supply.first[i];
    const last = first + supply.count[i];
    if (kind === 'make' && !p.hasBom[i] && last > first) exceptions.push({ kind: 'missing-bom', itemCode });
    for (let po = first; po < last; po++) {
      const dueDay = supply.due[po];
      const releaseDay = dueDay - p.leadTime[i];
      const order: PlannedOrder = {
        itemCode,
        qty: fromMicro(supply.qty[po]),
        kind,
        releaseDate: date(releaseDay),
        dueDate: date(dueDay),
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
          peggedTo: [...order.peggedTo],
        });
      }
    }
  }
  return { plannedOrders, exceptions };
}
