import { finishOperation, processingMinutes, type CompiledShopProblem, type ShopScore } from './compile.ts';

/** The decoder's base decode and scratch arrays (ShopDecoder has them). */
export interface TrialState {
  readonly p: CompiledShopProblem;
  readonly end: Float64Array;
  readonly rank: Int32Array;
  readonly queue: Int32Array;
  readonly indeg: Int32Array;
  readonly endOut: Float64Array;
  readonly woStart: Int32Array;
  readonly woCompletion: Float64Array;
  readonly tEnd: Float64Array;
  readonly tChanged: Uint8Array;
  readonly tQueue: Int32Array;
  readonly tCompletion: Float64Array;
  readonly mark: Int32Array;
  readonly woMark: Int32Array;
  readonly woList: Int32Array;
  readonly heap: Int32Array;
  readonly inHeap: Int32Array;
  readonly touchedList: Int32Array;
  readonly key: Float64Array;
  readonly heapKey: Float64Array;
  readonly keyMark: Int32Array;
  stamp: number;
  figures(completion: Float64Array, score: ShopScore): void;
}

/** Trial evaluations of changed machine sequences against the decoder's base (see ShopDecoder.evaluate). */

/**
 * Fast path of `evaluate`: re-times only operations whose inputs changed, in base topological
 * order (a heap on the base rank). New machine arcs may go against that order; an operation is then
 * simply re-timed again when a predecessor changes later (label correcting). Gives up (false) after
 * a bounded amount of work, e.g. on a cycle; the caller then uses the exact suffix evaluation.
 */
export function propagate(d: TrialState, machPrev: Int32Array, machNext: Int32Array, seq: readonly number[], lo: number, hi: number, score: ShopScore): boolean {
  const p = d.p;
  const { predStart, predList, succStart, succList, release, mach, woOf } = p;
  const { end, rank, tEnd, mark, heap, inHeap, touchedList } = d;
  const stamp = ++d.stamp;
  let size = 0;
  let touchedCount = 0;
  const { key, keyMark } = d;
  // heap key: the base rank, except on the moved range where the new machine order must hold
  const heapKey = d.heapKey;
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
    const e = finishOperation(p, mach[i], est, processingMinutes(p, i, machPrev[i]), d.endOut);
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
  const woMark = d.woMark;
  const woList = d.woList;
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
  const completion = d.tCompletion;
  completion.set(d.woCompletion);
  for (let k = 0; k < woCount; k++) {
    const w = woList[k];
    let c = -Infinity;
    for (let i = d.woStart[w]; i < d.woStart[w + 1]; i++) {
      const ei = mark[i] === stamp ? tEnd[i] : end[i];
      if (ei > c) c = ei;
    }
    completion[w] = c;
  }
  d.figures(completion, score);
  return true;
}


/** Exact evaluation of the suffix of the base order from the earliest touched operation (detects cycles). */
export function evaluateSuffix(d: TrialState, machPrev: Int32Array, machNext: Int32Array, seq: readonly number[], lo: number, hi: number, score: ShopScore): boolean {
  const p = d.p;
  const { n, predStart, predList, succStart, succList, frozen, release, mach, woOf } = p;
  const { end, rank, queue, tEnd, tChanged, tQueue, mark, indeg } = d;
  const stamp = ++d.stamp;
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
  const woMark = d.woMark;
  const woList = d.woList;
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
      const e = finishOperation(p, mach[i], est, processingMinutes(p, i, machPrev[i]), d.endOut);
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
  const completion = d.tCompletion;
  completion.set(d.woCompletion);
  for (let k = 0; k < woCount; k++) {
    const w = woList[k];
    let c = -Infinity;
    for (let i = d.woStart[w]; i < d.woStart[w + 1]; i++) {
      const e = rank[i] >= r0 ? tEnd[i] : end[i];
      if (e > c) c = e;
    }
    completion[w] = c;
  }
  d.figures(completion, score);
  return true;
}
