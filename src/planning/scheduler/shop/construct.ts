import { placeOperation, processingMinutes, type CompiledShopProblem, type ShopScore } from './compile.ts';
import type { ShopPriorities } from './priorities.ts';

/** Dispatching rules for product scheduling (higher priority is dispatched first). */
export type ShopRule = 'MWKR' | 'SPT' | 'EDD' | 'SLACK' | 'ATC' | 'WSPT' | 'CR';

export const SHOP_RULES: readonly ShopRule[] = ['MWKR', 'SLACK', 'EDD', 'ATC', 'WSPT', 'SPT'];

/** Binary heap of operation indices on a shared key array (max-heap; ties: lower index first). */
class OpHeap {
  private items: number[] = [];
  constructor(
    private readonly keys: Float64Array,
    private readonly sign: 1 | -1,
  ) {}

  get size(): number {
    return this.items.length;
  }

  top(): number {
    return this.items[0];
  }

  private above(a: number, b: number): boolean {
    const ka = this.keys[a] * this.sign;
    const kb = this.keys[b] * this.sign;
    return ka > kb || (ka === kb && a < b);
  }

  push(i: number): void {
    const h = this.items;
    let k = h.length;
    h.push(i);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.above(i, h[parent])) break;
      h[k] = h[parent];
      k = parent;
    }
    h[k] = i;
  }

  pop(): number {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    const size = h.length;
    if (size > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= size) break;
        const r = l + 1;
        const c = r < size && this.above(h[r], h[l]) ? r : l;
        if (!this.above(h[c], last)) break;
        h[k] = h[c];
        k = c;
      }
      h[k] = last;
    }
    return top;
  }
}

/** Takes the operation of the smallest critical ratio at time t (no due date: last; ties: more work left first). */
function takeByCriticalRatio(open: number[], t: number, pr: ShopPriorities): number {
  let best = 0;
  let bestRatio = Infinity;
  for (let k = 0; k < open.length; k++) {
    const i = open[k];
    const ratio = (pr.opDue[i] - t) / Math.max(1, pr.tailWork[i]);
    if (ratio < bestRatio || (ratio === bestRatio && pr.tailWork[i] > pr.tailWork[open[best]])) {
      best = k;
      bestRatio = ratio;
    }
  }
  const i = open[best];
  open[best] = open[open.length - 1];
  open.pop();
  return i;
}

/** Static priority (higher first) of the rules whose order does not depend on time. */
function staticPriority(rule: ShopRule, i: number, p: CompiledShopProblem, pr: ShopPriorities): number {
  const d = p.dur[i];
  switch (rule) {
    case 'MWKR':
      return pr.tailWork[i];
    case 'SPT':
      return -d;
    case 'EDD':
      return -pr.opDue[i] * 1e3 + pr.tailWork[i] * 1e-3;
    case 'SLACK':
      return -(pr.opDue[i] - pr.tailWork[i]) + pr.tailWork[i] * 1e-6;
    case 'WSPT':
      return pr.opWeight[i] / Math.max(1, d);
    case 'ATC':
    case 'CR':
      return 0;
  }
}

export interface ConstructedShop {
  /** Order of the unfrozen operations per work centre. */
  seqs: number[][];
  /** Figures of the constructed schedule (equal to decoding `seqs`). */
  score: ShopScore;
  /** Completion of every work order (-Infinity: no operations). */
  completion: Float64Array;
}

/**
 * Non-delay list scheduling for the product problem, one pass per rule in O(n log n): the work
 * centre that can start something earliest is served next, and among its operations that are ready
 * by then the rule chooses (heaps per work centre: ops waiting for their predecessors' end, and ops
 * available). ATC, whose priorities change with time, is kept exact with three heaps: ops already
 * urgent (ordered by w/p), ops not yet urgent (ordered by their time-invariant log-priority part) and
 * ops without a due date. `atcLookahead` is ATC's k (slack is scaled by k × mean duration).
 * `latestStart` (ATC only): per operation, the instant from which, once available, it is dispatched
 * before all others (the smallest first); tunePriorities uses it to keep plans within a makespan.
 */
export function constructShop(p: CompiledShopProblem, pr: ShopPriorities, rule: ShopRule, atcLookahead = 2, latestStart?: Float64Array): ConstructedShop {
  const { n, mach, dur, release, frozen, predStart, predList, succStart, succList, calendars } = p;
  const M = p.machines;
  const waiting = new Int32Array(n);
  const predEnd = new Float64Array(n);
  const ends = new Float64Array(n);
  const seqs: number[][] = Array.from({ length: M }, () => []);
  const machineFree = new Float64Array(M).fill(-Infinity);
  const machineTime = new Float64Array(M).fill(Infinity);
  const dirty = new Uint8Array(M);
  const endOut = new Float64Array(1);
  const atc = rule === 'ATC';
  const scale = atcLookahead * pr.meanDuration;

  // keys: pending by predEnd (min), available by rule priority (max)
  const prio = new Float64Array(n);
  const slack = new Float64Array(n);
  const urgentKey = new Float64Array(n);
  const state = new Uint8Array(n); // ATC: 1 = not yet urgent, 2 = urgent / without due date
  const pending = Array.from({ length: M }, () => new OpHeap(predEnd, -1));
  const avail = Array.from({ length: M }, () => new OpHeap(prio, 1));
  const urgent = atc ? Array.from({ length: M }, () => new OpHeap(urgentKey, 1)) : [];
  const bySlack = atc ? Array.from({ length: M }, () => new OpHeap(slack, -1)) : [];
  const noDue = atc ? Array.from({ length: M }, () => new OpHeap(pr.tailWork, 1)) : [];
  // ATC with latest starts: an available operation whose latest start has come goes first
  const guard = atc && latestStart ? Array.from({ length: M }, () => new OpHeap(latestStart, -1)) : [];
  const availCount = new Int32Array(M);
  // CR (critical ratio): time left to the due date over the work left, smallest first; it changes
  // with time, so the available operations of a centre are scanned at each choice
  const crOpen = rule === 'CR' ? Array.from({ length: M }, () => [] as number[]) : [];

  for (let i = 0; i < n; i++) {
    if (frozen[i]) continue;
    if (atc) {
      const w = pr.opWeight[i] / Math.max(1, dur[i]);
      slack[i] = pr.opDue[i] - pr.tailWork[i];
      urgentKey[i] = Math.log(w);
      prio[i] = Math.log(w) - slack[i] / scale; // + t/scale at time t, the same for all
    } else {
      prio[i] = staticPriority(rule, i, p, pr);
    }
  }
  const makeReady = (i: number): void => {
    const m = mach[i];
    pending[m].push(i);
    dirty[m] = 1;
  };
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
    if (count === 0) makeReady(i);
  }
  const makeAvailable = (m: number, i: number): void => {
    availCount[m]++;
    if (rule === 'CR') return void crOpen[m].push(i);
    if (!atc) return avail[m].push(i);
    if (guard.length > 0) guard[m].push(i);
    if (!Number.isFinite(slack[i])) {
      state[i] = 2;
      noDue[m].push(i);
    } else {
      state[i] = 1;
      avail[m].push(i);
      bySlack[m].push(i);
    }
  };
  const takeBest = (m: number, t: number): number => {
    availCount[m]--;
    if (rule === 'CR') return takeByCriticalRatio(crOpen[m], t, pr);
    if (!atc) return avail[m].pop();
    const ready = avail[m];
    const byS = bySlack[m];
    const urg = urgent[m];
    if (guard.length > 0) {
      const g = guard[m];
      while (g.size > 0 && state[g.top()] === 3) g.pop();
      if (g.size > 0 && latestStart![g.top()] <= t) {
        const i = g.pop();
        state[i] = 3;
        return i;
      }
    }
    while (byS.size > 0 && slack[byS.top()] <= t) {
      const i = byS.pop();
      if (state[i] === 1) {
        state[i] = 2;
        urg.push(i);
      }
    }
    while (ready.size > 0 && state[ready.top()] !== 1) ready.pop();
    while (urg.size > 0 && state[urg.top()] === 3) urg.pop();
    if (ready.size > 0 && (urg.size === 0 || prio[ready.top()] + t / scale > urgentKey[urg.top()])) {
      const i = ready.pop();
      state[i] = 3;
      return i;
    }
    const nd = noDue[m];
    while (nd.size > 0 && state[nd.top()] === 3) nd.pop();
    const i = urg.size > 0 ? urg.pop() : nd.pop();
    state[i] = 3;
    return i;
  };

  let scheduled = 0;
  for (;;) {
    let best = -1;
    for (let m = 0; m < M; m++) {
      if (dirty[m]) {
        dirty[m] = 0;
        const hasWork = availCount[m] > 0 || pending[m].size > 0;
        if (!hasWork) machineTime[m] = Infinity;
        else {
          const from = availCount[m] > 0 ? machineFree[m] : Math.max(machineFree[m], predEnd[pending[m].top()]);
          machineTime[m] = calendars[m].nextWorkingTime(from);
        }
      }
      if (machineTime[m] < Infinity && (best < 0 || machineTime[m] < machineTime[best])) best = m;
    }
    if (best < 0) break;
    const m = best;
    const t = machineTime[m];
    const pend = pending[m];
    while (pend.size > 0 && predEnd[pend.top()] <= t) makeAvailable(m, pend.pop());
    if (availCount[m] === 0) makeAvailable(m, pend.pop()); // t is in working time; its op waits for a break's end
    const i = takeBest(m, t);
    const before = seqs[m];
    placeOperation(p, m, Math.max(predEnd[i], machineFree[m]), processingMinutes(p, i, before.length ? before[before.length - 1] : -1), endOut);
    ends[i] = endOut[0];
    before.push(i);
    machineFree[m] = ends[i];
    dirty[m] = 1;
    scheduled++;
    for (let k = succStart[i]; k < succStart[i + 1]; k++) {
      const s = succList[k];
      if (ends[i] > predEnd[s]) predEnd[s] = ends[i];
      if (--waiting[s] === 0) makeReady(s);
    }
  }
  let unfrozen = 0;
  for (let i = 0; i < n; i++) if (!frozen[i]) unfrozen++;
  if (scheduled !== unfrozen) throw new Error('construction left operations unscheduled');
  // figures, exactly as the decoder computes them
  const completion = new Float64Array(p.woIds.length).fill(-Infinity);
  let makespan = 0;
  for (let i = 0; i < n; i++) {
    const e = frozen[i] ? p.frozenEnd[i] : ends[i];
    const w = p.woOf[i];
    if (e > completion[w]) completion[w] = e;
    if (e > makespan) makespan = e;
  }
  let tardiness = 0;
  for (let w = 0; w < completion.length; w++) {
    const late = completion[w] - p.woDue[w];
    if (late > 0) tardiness += late * p.woWeight[w];
  }
  return { seqs, score: { makespan, tardiness }, completion };
}
