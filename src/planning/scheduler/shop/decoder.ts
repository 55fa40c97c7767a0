import { placeOperation, processingMinutes, type CompiledShopProblem, type ShopScore } from './compile.ts';
import { evaluateSuffix, propagate } from './trial.ts';

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
  readonly indeg: Int32Array;
  /** Topological order of the last full decode, and each operation's position in it. */
  readonly queue: Int32Array;
  readonly rank: Int32Array;
  readonly endOut = new Float64Array(1);
  // trial (incremental) evaluation
  readonly woStart: Int32Array;
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
  readonly dfsMark: Int32Array;
  readonly dfsNode: Int32Array;
  readonly dfsEdge: Int32Array;
  readonly onStack: Int32Array;
  stamp = 0;
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
    const { n, predStart, predList, succStart, succList, frozen, release, mach } = p;
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
        start[i] = placeOperation(p, mach[i], est, processingMinutes(p, i, mp), this.endOut);
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
      if (propagate(this, machPrev, machNext, seq, lo, hi, score)) return true;
    }
    return evaluateSuffix(this, machPrev, machNext, seq, lo, hi, score);
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

  figures(completion: Float64Array, score: ShopScore): void {
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
}
