/**
 * The MRP run: items are planned level by level (low-level code order). For each item, gross
 * requirements (independent demands + dependent demand posted by already planned parents) are
 * netted per daily bucket against on-hand and scheduled receipts in date order, keeping safety
 * stock; each shortfall becomes a planned order (lot-sized), due that day and released lead-time
 * days before. Supplies are pegged to requirements first-in-first-out, so a planned order pegs to
 * the top-level refs of every requirement it serves; a made item's planned orders then post
 * dependent demand (qty × component qty × (1 + scrap)) on their release date, carrying those refs.
 */
import { GrossRequirements } from './gross-requirements.ts';
import type { MrpInput, MrpOptions, MrpResult } from './model.ts';
import { PegSets } from './peg-sets.ts';
import { LOT_FIXED, LOT_MINIMUM, prepareMrp, type PreparedMrp } from './prepare.ts';
import { applyFactor } from './quantity.ts';
import { ResultWriter } from './result-writer.ts';

export function runMrp(input: MrpInput, opts: MrpOptions = {}): MrpResult {
  const prepared = prepareMrp(input);
  const pegs = new PegSets(prepared.refs.length);
  const writer = new ResultWriter(prepared, pegs);
  plan(prepared, pegs, opts.pegging ?? true, writer, opts.onProgress);
  return writer.result();
}

function plan(p: PreparedMrp, pegs: PegSets, pegging: boolean, writer: ResultWriter, onProgress?: (planned: number, total: number) => void): void {
  const n = p.itemCount;
  const today = p.today;
  const requirements = new GrossRequirements(n);
  // the supply queue of the item being planned: remaining qty, planned order index or −1
  let supQty = new Float64Array(64);
  let supOrder = new Int32Array(64);
  // the planned orders of the item being planned: due day, qty, peg set
  let poDue = new Int32Array(64);
  let poQty = new Float64Array(64);
  let poPeg = new Int32Array(64);
  // bought items pass their pegging on to nothing: their orders get ref names, not pooled sets
  const poRefs: string[][] = [];

  for (let o = 0; o < n; o++) {
    if (onProgress && o % 1000 === 0) onProgress(o, n);
    const i = p.planningOrder[o];
    const count = requirements.gather(p, i, pegs.empty, pegging);
    const reqDay = requirements.day;
    const reqQty = requirements.qty;
    const reqPeg = requirements.peg;
    const receiptFrom = p.receiptStart[i];
    const receiptTo = p.receiptStart[i + 1];
    const maxSupplies = 2 + (receiptTo - receiptFrom) + count;
    if (maxSupplies > supQty.length) {
      supQty = new Float64Array(Math.max(maxSupplies, supQty.length * 2));
      supOrder = new Int32Array(supQty.length);
      poDue = new Int32Array(supQty.length);
      poQty = new Float64Array(supQty.length);
      poPeg = new Int32Array(supQty.length);
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
    let orders = 0;
    const explodes = !p.purchased[i] && p.hasBom[i] === 1;
    const finishPegging = (order: number): void => {
      if (explodes) poPeg[order] = pegs.endUnion();
      else poRefs[order] = pegs.endUnionAsMembers(p.refs);
    };
    let g = 0;
    let r = receiptFrom;
    let todayPending = safety > 0; // a safety-stock shortfall is planned no later than today
    for (;;) {
      // the next bucket: the earliest of the next requirement, the next receipt, today
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
        supOrder[supplies++] = orders;
        poDue[orders] = day;
        poQty[orders] = qty;
        poPeg[orders++] = pegs.empty;
      }
      if (!pegging) continue;
      // FIFO: each requirement of the bucket takes from the oldest supply left
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
            if (order >= 0) finishPegging(order);
            head++;
          }
        }
      }
    }
    if (pegging && unionFor === head && head < supplies && supOrder[head] >= 0) {
      finishPegging(supOrder[head]);
    }
    writer.writeItem(i, orders, poDue, poQty, poPeg, explodes || !pegging ? undefined : poRefs);
    poRefs.length = 0;

    // explode a made item: dependent demand on the release date, pegged like the order
    if (!explodes) continue;
    const leadTime = p.leadTime[i];
    const bomFrom = p.bomStart[i];
    const bomTo = p.bomStart[i + 1];
    for (let po = 0; po < orders; po++) {
      const release = poDue[po] - leadTime;
      const parentQty = poQty[po];
      const peg = poPeg[po];
      for (let e = bomFrom; e < bomTo; e++) {
        const qty = applyFactor(parentQty, p.bomFactor[e]);
        if (qty > 0) requirements.post(p.bomChild[e], release, qty, peg);
      }
    }
  }
}
