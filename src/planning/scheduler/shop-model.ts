import { ALWAYS_OPEN, type WorkCalendar } from '../calendar.ts';
import { ShopProblemError, type ShopProblem } from './shop-types.ts';

/** The product problem compiled to indices: operations 0..n-1, work centres 0..machines-1. */
export interface CompiledShopProblem {
  n: number;
  machines: number;
  ids: string[];
  workCenters: string[];
  woIds: string[];
  woOf: Int32Array;
  mach: Int32Array;
  dur: Float64Array;
  release: Float64Array;
  frozen: Uint8Array;
  frozenStart: Float64Array;
  frozenEnd: Float64Array;
  /** Precedence arcs into unfrozen operations, CSR: preds of i are predList[predStart[i]..predStart[i+1]). */
  predStart: Int32Array;
  predList: Int32Array;
  succStart: Int32Array;
  succList: Int32Array;
  calendars: WorkCalendar[];
  /** Frozen busy intervals per work centre, sorted by start: [s0, e0, s1, e1, …]. */
  blocked: Float64Array[];
  woDue: Float64Array;
  woWeight: Float64Array;
  warnings: string[];
}

export function compileShopProblem(problem: ShopProblem): CompiledShopProblem {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const woIds: string[] = [];
  const woOfList: number[] = [];
  const wcIndex = new Map<string, number>();
  const workCenters: string[] = [];
  const machList: number[] = [];
  const durList: number[] = [];
  const releaseList: number[] = [];
  const frozenList: ({ start: number; end: number } | undefined)[] = [];
  const preds: number[][] = [];
  const horizon = problem.horizonStart ?? 0;
  const woDue: number[] = [];
  const woWeight: number[] = [];
  const warnings: string[] = [];
  const seenWo = new Set<string>();
  problem.workOrders.forEach((wo, w) => {
    if (seenWo.has(wo.id)) throw new ShopProblemError(`duplicate work order id ${wo.id}`);
    seenWo.add(wo.id);
    woIds.push(wo.id);
    const due = wo.dueMinutes ?? Infinity;
    const weight = wo.weight ?? 1;
    if (Number.isNaN(due) || !Number.isFinite(weight) || weight < 0) throw new ShopProblemError(`work order ${wo.id}: bad due date or weight`);
    woDue.push(due);
    woWeight.push(weight);
    const release = Math.max(horizon, wo.releaseMinutes ?? 0);
    wo.operations.forEach((op, k) => {
      if (index.has(op.id)) throw new ShopProblemError(`duplicate operation id ${op.id}`);
      if (!Number.isFinite(op.durationMinutes) || op.durationMinutes < 0) {
        throw new ShopProblemError(`operation ${op.id}: durationMinutes must be a non-negative number`);
      }
      if (op.frozen && !(Number.isFinite(op.frozen.start) && Number.isFinite(op.frozen.end) && op.frozen.end >= op.frozen.start)) {
        throw new ShopProblemError(`operation ${op.id}: frozen needs start ≤ end`);
      }
      const i = ids.length;
      index.set(op.id, i);
      ids.push(op.id);
      woOfList.push(w);
      let m = wcIndex.get(op.workCenter);
      if (m === undefined) {
        m = workCenters.length;
        wcIndex.set(op.workCenter, m);
        workCenters.push(op.workCenter);
      }
      machList.push(m);
      durList.push(op.durationMinutes);
      releaseList.push(release);
      frozenList.push(op.frozen);
      preds.push(k > 0 ? [i - 1] : []);
    });
  });
  const n = ids.length;
  problem.workOrders.forEach((wo) => {
    for (const op of wo.operations) {
      const i = index.get(op.id)!;
      for (const p of op.predecessors ?? []) {
        const j = index.get(p);
        if (j === undefined) throw new ShopProblemError(`operation ${op.id}: unknown predecessor ${p}`);
        if (j === i) throw new ShopProblemError(`operation ${op.id} cannot precede itself`);
        if (!preds[i].includes(j)) preds[i].push(j);
      }
    }
  });
  // precedence must be acyclic
  const indeg = new Int32Array(n);
  const succs: number[][] = Array.from({ length: n }, () => []);
  preds.forEach((list, i) => list.forEach((j) => succs[j].push(i)));
  for (let i = 0; i < n; i++) indeg[i] = preds[i].length;
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  for (let q = 0; q < queue.length; q++) for (const s of succs[queue[q]]) if (--indeg[s] === 0) queue.push(s);
  if (queue.length < n) throw new ShopProblemError('operation precedence contains a cycle');

  const frozen = new Uint8Array(n);
  const frozenStart = new Float64Array(n);
  const frozenEnd = new Float64Array(n);
  const blockedLists: number[][][] = workCenters.map(() => []);
  for (let i = 0; i < n; i++) {
    const f = frozenList[i];
    if (!f) continue;
    frozen[i] = 1;
    frozenStart[i] = f.start;
    frozenEnd[i] = f.end;
    if (f.end > f.start) blockedLists[machList[i]].push([f.start, f.end]);
    for (const p of preds[i]) {
      if (!frozenList[p]) warnings.push(`frozen operation ${ids[i]} has an unfrozen predecessor ${ids[p]}; that link is ignored`);
    }
  }
  // arcs into frozen operations are dropped: their times are fixed
  const predStart = new Int32Array(n + 1);
  const predFlat: number[] = [];
  for (let i = 0; i < n; i++) {
    predStart[i] = predFlat.length;
    if (!frozen[i]) predFlat.push(...preds[i]);
  }
  predStart[n] = predFlat.length;
  const succCount = new Int32Array(n + 1);
  for (const p of predFlat) succCount[p]++;
  const succStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) succStart[i + 1] = succStart[i] + succCount[i];
  const fill = succStart.slice(0, n);
  const succList = new Int32Array(predFlat.length);
  for (let i = 0; i < n; i++) for (let k = predStart[i]; k < predStart[i + 1]; k++) succList[fill[predFlat[k]]++] = i;

  const calendars = workCenters.map((wc) => problem.calendars?.[wc] ?? ALWAYS_OPEN);
  const blocked = blockedLists.map((list) => Float64Array.from(list.sort((a, b) => a[0] - b[0]).flat()));
  return {
    n,
    machines: workCenters.length,
    ids,
    workCenters,
    woIds,
    woOf: Int32Array.from(woOfList),
    mach: Int32Array.from(machList),
    dur: Float64Array.from(durList),
    release: Float64Array.from(releaseList),
    frozen,
    frozenStart,
    frozenEnd,
    predStart,
    predList: Int32Array.from(predFlat),
    succStart,
    succList,
    calendars,
    blocked,
    woDue: Float64Array.from(woDue),
    woWeight: Float64Array.from(woWeight),
    warnings,
  };
}

/**
 * Places an operation of `d` working minutes on machine m at the earliest working instant ≥ est
 * that does not overlap a frozen operation there. Writes the end into out[0]; returns the start.
 */
export function placeOperation(p: CompiledShopProblem, m: number, est: number, d: number, out: Float64Array): number {
  const cal = p.calendars[m];
  const blocked = p.blocked[m];
  if (blocked.length === 0) {
    // the end computed from est itself, exactly as finishOperation does
    out[0] = cal.finishTime(est, d);
    return cal.nextWorkingTime(est);
  }
  let start = cal.nextWorkingTime(est);
  let end = cal.finishTime(start, d);
  for (let k = 0; k < blocked.length; k += 2) {
    const bs = blocked[k];
    const be = blocked[k + 1];
    if (be <= start) continue;
    if (bs >= end && !(bs <= start)) break;
    // [bs, be) overlaps [start, end) (or a zero-length operation sits inside it): go after it
    start = cal.nextWorkingTime(be);
    end = cal.finishTime(start, d);
  }
  out[0] = end;
  return start;
}

/** The end of `placeOperation` (without its start): one calendar call when nothing is frozen there. */
export function finishOperation(p: CompiledShopProblem, m: number, est: number, d: number, out: Float64Array): number {
  if (p.blocked[m].length === 0) return p.calendars[m].finishTime(est, d);
  placeOperation(p, m, est, d, out);
  return out[0];
}

/** Objective values of a decoded schedule. */
export interface ShopScore {
  makespan: number;
  tardiness: number;
}

/**
 * Decodes machine sequences (orders of the unfrozen operations per work centre) into times, in a
 * topological order of precedence + machine arcs. Also records for every operation the arc that
 * bound its earliest start (for critical paths). Returns false if the orders make a cycle.
 */
export class ShopDecoder {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Binding predecessor (-1 = release/none) and whether it is the machine predecessor. */
  readonly bind: Int32Array;
  readonly bindMachine: Uint8Array;
  readonly woCompletion: Float64Array;
  private readonly indeg: Int32Array;
  /** Topological order of the last full decode, and each operation's position in it. */
  private readonly queue: Int32Array;
  private readonly rank: Int32Array;
  private readonly endOut = new Float64Array(1);
  // trial (incremental) evaluation
  private readonly woStart: Int32Array;
  private readonly tEnd: Float64Array;
  private readonly tChanged: Uint8Array;
  private readonly tQueue: Int32Array;
  private readonly tCompletion: Float64Array;
  private readonly mark: Int32Array;
  private readonly woMark: Int32Array;
  private readonly woList: Int32Array;
  private readonly heap: Int32Array;
  private readonly inHeap: Int32Array;
  private readonly touchedList: Int32Array;
  private readonly key: Float64Array;
  private readonly heapKey: Float64Array;
  private readonly keyMark: Int32Array;
  private readonly dfsMark: Int32Array;
  private readonly dfsNode: Int32Array;
  private readonly dfsEdge: Int32Array;
  private readonly onStack: Int32Array;
  private stamp = 0;
  /** Whether start/end/rank describe an acyclic decode (the base for `evaluate`). */
  private valid = false;

  constructor(readonly p: CompiledShopProblem) {
    this.start = new Float64Array(p.n);
    this.end = new Float64Array(p.n);
    this.bind = new Int32Array(p.n);
    this.bindMachine = new Uint8Array(p.n);
    this.woCompletion = new Float64Array(p.woIds.length);
    this.indeg = new Int32Array(p.n);
    this.queue = new Int32Array(p.n);
    this.rank = new Int32Array(p.n);
    const wos = p.woIds.length;
    // operations of a work order are contiguous (compiled in work-order order)
    this.woStart = new Int32Array(wos + 1);
    for (let i = 0; i < p.n; i++) this.woStart[p.woOf[i] + 1] = i + 1;
    for (let w = 1; w <= wos; w++) if (this.woStart[w] < this.woStart[w - 1]) this.woStart[w] = this.woStart[w - 1];
    this.tEnd = new Float64Array(p.n);
    this.tChanged = new Uint8Array(p.n);
    this.tQueue = new Int32Array(p.n);
    this.tCompletion = new Float64Array(wos);
    this.mark = new Int32Array(p.n);
    this.woMark = new Int32Array(wos);
    this.woList = new Int32Array(wos);
    this.heap = new Int32Array(p.n);
    this.inHeap = new Int32Array(p.n);
    this.touchedList = new Int32Array(p.n);
    this.key = new Float64Array(p.n);
    this.heapKey = new Float64Array(p.n);
    this.keyMark = new Int32Array(p.n);
    this.dfsMark = new Int32Array(p.n);
    this.dfsNode = new Int32Array(p.n);
    this.dfsEdge = new Int32Array(p.n);
    this.onStack = new Int32Array(p.n);
  }

  decode(machPrev: Int32Array, machNext: Int32Array, score: ShopScore): boolean {
    const p = this.p;
    const { n, predStart, predList, succStart, succList, frozen, dur, release, mach } = p;
    const { start, end, bind, bindMachine, indeg, queue } = this;
    let qEnd = 0;
    for (let i = 0; i < n; i++) {
      const d = frozen[i] ? 0 : predStart[i + 1] - predStart[i] + (machPrev[i] >= 0 ? 1 : 0);
      indeg[i] = d;
      if (d === 0) queue[qEnd++] = i;
    }
    for (let q = 0; q < qEnd; q++) {
      const i = queue[q];
      this.rank[i] = q;
      if (frozen[i]) {
        start[i] = p.frozenStart[i];
        end[i] = p.frozenEnd[i];
        bind[i] = -1;
      } else {
        let est = release[i];
        let b = -1;
        let bm = 0;
        for (let k = predStart[i]; k < predStart[i + 1]; k++) {
          const j = predList[k];
          if (end[j] > est || (b < 0 && end[j] === est)) {
            est = end[j];
            b = j;
          }
        }
        const mp = machPrev[i];
        if (mp >= 0 && (end[mp] > est || (end[mp] === est && est > release[i]))) {
          est = end[mp];
          b = mp;
          bm = 1;
        }
        start[i] = placeOperation(p, mach[i], est, dur[i], this.endOut);
        end[i] = this.endOut[0];
        bind[i] = b;
        bindMachine[i] = bm;
      }
      for (let k = succStart[i]; k < succStart[i + 1]; k++) {
        const s = succList[k];
        if (--indeg[s] === 0) queue[qEnd++] = s;
      }
      const ms = machNext[i];
      if (ms >= 0 && --indeg[ms] === 0) queue[qEnd++] = ms;
    }
    if (qEnd < n) {
      this.valid = false;
      return false;
    }
    this.valid = true;
    const completion = this.woCompletion;
    completion.fill(-Infinity);
    let makespan = 0;
    for (let i = 0; i < n; i++) {
      const w = p.woOf[i];
      if (end[i] > completion[w]) completion[w] = end[i];
      if (end[i] > makespan) makespan = end[i];
    }
    let tardiness = 0;
    for (let w = 0; w < completion.length; w++) {
      const late = completion[w] - p.woDue[w];
      if (late > 0) tardiness += late * p.woWeight[w];
    }
    score.makespan = makespan;
    score.tardiness = tardiness;
    return true;
  }
  /**
   * Scores changed machine sequences against the last successful `decode` (the base) without
   * touching the base: `touched` = seq[lo..hi) are the operations whose machine predecessor changed
   * (all on one work centre). Only the part of the base topological order from the earliest touched
   * operation on can change; in it, an operation is placed again only if it is touched or one of its
   * predecessors moved. The figures equal those of a full decode. Returns false for a cycle.
   * `fastPath` false skips the propagation below and always uses the suffix evaluation (tests).
   */
  evaluate(machPrev: Int32Array, machNext: Int32Array, seq: readonly number[], lo: number, hi: number, score: ShopScore, fastPath = true): boolean {
    if (!this.valid) throw new Error('evaluate needs a successful decode first');
    if (fastPath) {
      if (this.createsCycle(machNext, seq, lo, hi)) return false;
      if (this.propagate(machPrev, machNext, seq, lo, hi, score)) return true;
    }
    return this.evaluateSuffix(machPrev, machNext, seq, lo, hi, score);
  }

  /**
   * Whether the changed sequences contain a cycle. Every new arc leaves an operation of seq[lo..hi),
   * and base arcs go up the base rank, so a cycle lies among operations ranked at most R, the largest
   * rank in that range: a depth-first search from the range limited to those.
   */
  private createsCycle(machNext: Int32Array, seq: readonly number[], lo: number, hi: number): boolean {
    const { succStart, succList } = this.p;
    const { rank, dfsMark, dfsNode, dfsEdge, onStack } = this;
    const stamp = ++this.stamp;
    let limit = -1;
    for (let k = lo; k < hi; k++) limit = Math.max(limit, rank[seq[k]]);
    for (let k = lo; k < hi; k++) {
      const root = seq[k];
      if (dfsMark[root] === stamp) continue;
      dfsMark[root] = stamp;
      onStack[root] = stamp;
      let top = 0;
      dfsNode[0] = root;
      dfsEdge[0] = succStart[root];
      while (top >= 0) {
        const u = dfsNode[top];
        const e = dfsEdge[top]++;
        const last = succStart[u + 1];
        let v: number;
        if (e < last) v = succList[e];
        else if (e === last) v = machNext[u];
        else {
          onStack[u] = 0;
          top--;
          continue;
        }
        if (v < 0 || rank[v] > limit) continue;
        if (dfsMark[v] === stamp) {
          if (onStack[v] === stamp) return true;
          continue;
        }
        dfsMark[v] = stamp;
        onStack[v] = stamp;
        top++;
        dfsNode[top] = v;
        dfsEdge[top] = succStart[v];
      }
    }
    return false;
  }

  /**
   * Fast path of `evaluate`: re-times only operations whose inputs changed, in base topological
   * order (a heap on the base rank). New machine arcs may go against that order; an operation is then
   * simply re-timed again when a predecessor changes later (label correcting). Gives up (false) after
   * a bounded amount of work, e.g. on a cycle; the caller then uses the exact suffix evaluation.
   */
  private propagate(machPrev: Int32Array, machNext: Int32Array, seq: readonly number[], lo: number, hi: number, score: ShopScore): boolean {
    const p = this.p;
    const { predStart, predList, succStart, succList, dur, release, mach, woOf } = p;
    const { end, rank, tEnd, mark, heap, inHeap, touchedList } = this;
    const stamp = ++this.stamp;
    let size = 0;
    let touchedCount = 0;
    const { key, keyMark } = this;
    // heap key: the base rank, except on the moved range where the new machine order must hold
    const heapKey = this.heapKey;
    const push = (i: number): void => {
      if (inHeap[i] === stamp) return;
      inHeap[i] = stamp;
      let k = size++;
      const r = keyMark[i] === stamp ? key[i] : rank[i];
      while (k > 0) {
        const parent = (k - 1) >> 1;
        if (heapKey[parent] <= r) break;
        heap[k] = heap[parent];
        heapKey[k] = heapKey[parent];
        k = parent;
      }
      heap[k] = i;
      heapKey[k] = r;
    };
    let minRank = p.n;
    let prefix = -1;
    for (let k = lo; k < hi; k++) {
      const i = seq[k];
      if (rank[i] < minRank) minRank = rank[i];
      prefix = Math.max(prefix, rank[i]);
      keyMark[i] = stamp;
      key[i] = prefix === rank[i] ? prefix : prefix + (k - lo + 1) / (hi - lo + 2);
    }
    for (let k = lo; k < hi; k++) push(seq[k]);
    let budget = 64 + 2 * (p.n - minRank);
    while (size > 0) {
      if (--budget < 0) return false;
      // pop
      const i = heap[0];
      const last = heap[--size];
      if (size > 0) {
        let k = 0;
        const r = heapKey[size];
        for (;;) {
          const l = 2 * k + 1;
          if (l >= size) break;
          const c = l + 1 < size && heapKey[l + 1] < heapKey[l] ? l + 1 : l;
          if (heapKey[c] >= r) break;
          heap[k] = heap[c];
          heapKey[k] = heapKey[c];
          k = c;
        }
        heap[k] = last;
        heapKey[k] = r;
      }
      inHeap[i] = 0;
      if (p.frozen[i]) continue;
      let est = release[i];
      for (let e = predStart[i]; e < predStart[i + 1]; e++) {
        const j = predList[e];
        const ej = mark[j] === stamp ? tEnd[j] : end[j];
        if (ej > est) est = ej;
      }
      const mp = machPrev[i];
      if (mp >= 0) {
        const em = mark[mp] === stamp ? tEnd[mp] : end[mp];
        if (em > est) est = em;
      }
      const e = finishOperation(p, mach[i], est, dur[i], this.endOut);
      const previous = mark[i] === stamp ? tEnd[i] : end[i];
      if (mark[i] !== stamp) {
        mark[i] = stamp;
        touchedList[touchedCount++] = i;
      }
      tEnd[i] = e;
      if (e !== previous) {
        for (let k = succStart[i]; k < succStart[i + 1]; k++) push(succList[k]);
        const ms = machNext[i];
        if (ms >= 0) push(ms);
      }
    }
    // figures: only work orders with a re-timed operation can change
    const woMark = this.woMark;
    const woList = this.woList;
    let woCount = 0;
    for (let k = 0; k < touchedCount; k++) {
      const i = touchedList[k];
      if (tEnd[i] === end[i]) continue;
      const w = woOf[i];
      if (woMark[w] !== stamp) {
        woMark[w] = stamp;
        woList[woCount++] = w;
      }
    }
    const completion = this.tCompletion;
    completion.set(this.woCompletion);
    for (let k = 0; k < woCount; k++) {
      const w = woList[k];
      let c = -Infinity;
      for (let i = this.woStart[w]; i < this.woStart[w + 1]; i++) {
        const ei = mark[i] === stamp ? tEnd[i] : end[i];
        if (ei > c) c = ei;
      }
      completion[w] = c;
    }
    this.figures(completion, score);
    return true;
  }

  private figures(completion: Float64Array, score: ShopScore): void {
    const p = this.p;
    let makespan = 0;
    let tardiness = 0;
    for (let w = 0; w < completion.length; w++) {
      if (completion[w] > makespan) makespan = completion[w];
      const late = completion[w] - p.woDue[w];
      if (late > 0) tardiness += late * p.woWeight[w];
    }
    score.makespan = makespan;
    score.tardiness = tardiness;
  }

  /** Exact evaluation of the suffix of the base order from the earliest touched operation (detects cycles). */
  private evaluateSuffix(machPrev: Int32Array, machNext: Int32Array, seq: readonly number[], lo: number, hi: number, score: ShopScore): boolean {
    const p = this.p;
    const { n, predStart, predList, succStart, succList, frozen, dur, release, mach, woOf } = p;
    const { end, rank, queue, tEnd, tChanged, tQueue, mark, indeg } = this;
    const stamp = ++this.stamp;
    let r0 = n;
    for (let k = lo; k < hi; k++) {
      const i = seq[k];
      mark[i] = stamp;
      if (rank[i] < r0) r0 = rank[i];
    }
    let qEnd = 0;
    for (let k = r0; k < n; k++) {
      const i = queue[k];
      let d = 0;
      if (!frozen[i]) {
        for (let e = predStart[i]; e < predStart[i + 1]; e++) if (rank[predList[e]] >= r0) d++;
        const mp = machPrev[i];
        if (mp >= 0 && rank[mp] >= r0) d++;
      }
      indeg[i] = d;
      if (d === 0) tQueue[qEnd++] = i;
    }
    const woMark = this.woMark;
    const woList = this.woList;
    let woCount = 0;
    for (let q = 0; q < qEnd; q++) {
      const i = tQueue[q];
      let again = mark[i] === stamp;
      if (!again && !frozen[i]) {
        for (let e = predStart[i]; e < predStart[i + 1] && !again; e++) {
          const j = predList[e];
          if (rank[j] >= r0 && tChanged[j]) again = true;
        }
        const mp = machPrev[i];
        if (mp >= 0 && rank[mp] >= r0 && tChanged[mp]) again = true;
      }
      if (!again || frozen[i]) {
        tEnd[i] = end[i];
        tChanged[i] = 0;
      } else {
        let est = release[i];
        for (let e = predStart[i]; e < predStart[i + 1]; e++) {
          const j = predList[e];
          const ej = rank[j] >= r0 ? tEnd[j] : end[j];
          if (ej > est) est = ej;
        }
        const mp = machPrev[i];
        if (mp >= 0) {
          const em = rank[mp] >= r0 ? tEnd[mp] : end[mp];
          if (em > est) est = em;
        }
        const e = finishOperation(p, mach[i], est, dur[i], this.endOut);
        tEnd[i] = e;
        const changed = e !== end[i];
        tChanged[i] = changed ? 1 : 0;
        if (changed) {
          const w = woOf[i];
          if (woMark[w] !== stamp) {
            woMark[w] = stamp;
            woList[woCount++] = w;
          }
        }
      }
      for (let e = succStart[i]; e < succStart[i + 1]; e++) {
        const s = succList[e];
        if (--indeg[s] === 0) tQueue[qEnd++] = s;
      }
      const ms = machNext[i];
      if (ms >= 0 && --indeg[ms] === 0) tQueue[qEnd++] = ms;
    }
    if (qEnd < n - r0) return false;
    const completion = this.tCompletion;
    completion.set(this.woCompletion);
    for (let k = 0; k < woCount; k++) {
      const w = woList[k];
      let c = -Infinity;
      for (let i = this.woStart[w]; i < this.woStart[w + 1]; i++) {
        const e = rank[i] >= r0 ? tEnd[i] : end[i];
        if (e > c) c = e;
      }
      completion[w] = c;
    }
    this.figures(completion, score);
    return true;
  }
}
