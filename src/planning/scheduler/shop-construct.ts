import { placeOperation, type CompiledShopProblem } from './shop-model.ts';

/** Dispatching rules for product scheduling (higher priority is dispatched first). */
export type ShopRule = 'MWKR' | 'SPT' | 'EDD' | 'SLACK' | 'ATC' | 'WSPT';

export const SHOP_RULES: readonly ShopRule[] = ['MWKR', 'SLACK', 'EDD', 'ATC', 'WSPT', 'SPT'];

/** Per-operation look-ahead data used by the rules. */
export interface ShopPriorities {
  /** Working minutes on the longest path from the operation's start to the end of everything after it. */
  tailWork: Float64Array;
  /** Latest end that keeps every downstream work order on time (Infinity without due dates). */
  opDue: Float64Array;
  /** Largest weight among the work orders downstream. */
  opWeight: Float64Array;
  meanDuration: number;
}

export function computePriorities(p: CompiledShopProblem): ShopPriorities {
  const { n, dur, predStart, predList, woOf, woDue, woWeight } = p;
  // reverse topological order over all precedence arcs (including those into frozen ops)
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) for (let k = predStart[i]; k < predStart[i + 1]; k++) succs[predList[k]].push(i);
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = predStart[i + 1] - predStart[i];
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let q = 0; q < order.length; q++) for (const s of succs[order[q]]) if (--indeg[s] === 0) order.push(s);
  const tailWork = new Float64Array(n);
  const opDue = new Float64Array(n);
  const opWeight = new Float64Array(n);
  let total = 0;
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    let tw = 0;
    let due = woDue[woOf[i]];
    let weight = woWeight[woOf[i]];
    for (const s of succs[i]) {
      tw = Math.max(tw, tailWork[s]);
      due = Math.min(due, opDue[s] - dur[s]);
      weight = Math.max(weight, opWeight[s]);
    }
    tailWork[i] = tw + dur[i];
    opDue[i] = due;
    opWeight[i] = weight;
    total += dur[i];
  }
  return { tailWork, opDue, opWeight, meanDuration: n > 0 ? Math.max(1, total / n) : 1 };
}

/**
 * Giffler–Thompson style list scheduling for the product problem: among the ready operations, the
 * one that can finish first fixes a work centre; among the ready operations there that could start
 * before that finish, the rule chooses. Returns the order of unfrozen operations per work centre.
 */
export function constructShop(p: CompiledShopProblem, pr: ShopPriorities, rule: ShopRule): number[][] {
  const { n, mach, dur, release, frozen, predStart, predList, succStart, succList } = p;
  const waiting = new Int32Array(n);
  const predEnd = new Float64Array(n);
  const ready: number[] = [];
  const seqs: number[][] = Array.from({ length: p.machines }, () => []);
  const machineFree = new Float64Array(p.machines).fill(-Infinity);
  const endOut = new Float64Array(1);
  for (let i = 0; i < n; i++) {
    if (frozen[i]) continue;
    predEnd[i] = release[i];
    let count = 0;
    for (let k = predStart[i]; k < predStart[i + 1]; k++) {
      const j = predList[k];
      if (frozen[j]) predEnd[i] = Math.max(predEnd[i], p.frozenEnd[j]);
      else count++;
    }
    waiting[i] = count;
    if (count === 0) ready.push(i);
  }
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  const stale = new Uint8Array(n).fill(1);
  const priority = (i: number, t: number): number => {
    switch (rule) {
      case 'MWKR':
        return pr.tailWork[i];
      case 'SPT':
        return -dur[i];
      case 'EDD':
        return -pr.opDue[i] * 1e3 + pr.tailWork[i] * 1e-3;
      case 'SLACK':
        return -(pr.opDue[i] - pr.tailWork[i]) + pr.tailWork[i] * 1e-6;
      case 'WSPT':
        return pr.opWeight[i] / Math.max(1, dur[i]);
      case 'ATC': {
        const slack = Math.max(0, pr.opDue[i] - pr.tailWork[i] - t);
        const urgency = Number.isFinite(slack) ? Math.exp(-slack / (2 * pr.meanDuration)) : 0;
        return (pr.opWeight[i] / Math.max(1, dur[i])) * urgency + 1e-9 * pr.tailWork[i];
      }
    }
  };
  let scheduled = 0;
  while (ready.length > 0) {
    let bestEnd = Infinity;
    let bestMachine = -1;
    for (const i of ready) {
      if (stale[i]) {
        // placement only changes when the op becomes ready or its work centre gets a new last op
        const est = Math.max(predEnd[i], machineFree[mach[i]]);
        starts[i] = placeOperation(p, mach[i], est, dur[i], endOut);
        ends[i] = endOut[0];
        stale[i] = 0;
      }
      if (ends[i] < bestEnd) {
        bestEnd = ends[i];
        bestMachine = mach[i];
      }
    }
    let chosenAt = -1;
    let chosenPriority = -Infinity;
    for (let k = 0; k < ready.length; k++) {
      const i = ready[k];
      if (mach[i] !== bestMachine) continue;
      if (starts[i] >= bestEnd && ends[i] !== bestEnd) continue;
      const value = priority(i, starts[i]);
      if (chosenAt < 0 || value > chosenPriority) {
        chosenAt = k;
        chosenPriority = value;
      }
    }
    const i = ready[chosenAt];
    ready[chosenAt] = ready[ready.length - 1];
    ready.pop();
    seqs[bestMachine].push(i);
    machineFree[bestMachine] = ends[i];
    for (const r of ready) if (mach[r] === bestMachine) stale[r] = 1;
    scheduled++;
    for (let k = succStart[i]; k < succStart[i + 1]; k++) {
      const s = succList[k];
      predEnd[s] = Math.max(predEnd[s], ends[i]);
      if (--waiting[s] === 0) ready.push(s);
    }
  }
  if (scheduled !== n - frozen.reduce((a, b) => a + b, 0)) throw new Error('construction left operations unscheduled');
  return seqs;
}
