import { budgetExhausted, type SearchBudget } from './budget.ts';
import { Sequencing, type CompiledShop } from './disjunctive-graph.ts';
import type { Rng } from '../random.ts';

const FORWARD = 0;
const BACKWARD = 1;

/**
 * Tabu search on the critical path with the N6 neighbourhood (Balas & Vazacopoulos; Zhang et al.):
 * within a critical block, an operation is moved right after the block's last operation or right
 * before its first one (and the block ends are moved inside the block), when the move is guaranteed
 * to keep the graph acyclic. Moves are ranked by a fast approximate makespan (heads and tails
 * recomputed only along the moved segment). The tabu list forbids restoring reversed pairs
 * for a randomised tenure; a tabu move is allowed when its estimate beats the best (aspiration).
 */
export class TabuSearch {
  private readonly n: number;
  private readonly tabu: Int32Array;
  private readonly tabuSize: number;
  private readonly path: Int32Array;
  private readonly blockStart: Int32Array;
  private readonly blockEnd: Int32Array;
  private readonly moveA: Int32Array;
  private readonly moveB: Int32Array;
  private readonly moveKind: Int8Array;
  private readonly tmp: Int32Array;
  private readonly ends: Int32Array;
  private iteration = 0;
  tenureMin: number;
  tenureMax: number;

  constructor(
    private readonly shop: CompiledShop,
    private readonly rng: Rng,
  ) {
    const n = shop.n;
    this.n = n;
    // pair (a, b) → a*n + b; beyond 4M pairs the table is folded (a rare false "tabu" is harmless)
    this.tabuSize = Math.min(n * n, 1 << 22);
    this.tabu = new Int32Array(Math.max(1, this.tabuSize));
    this.path = new Int32Array(n);
    this.blockStart = new Int32Array(n + 1);
    this.blockEnd = new Int32Array(n + 1);
    const maxMoves = 4 * n + 8;
    this.moveA = new Int32Array(maxMoves);
    this.moveB = new Int32Array(maxMoves);
    this.moveKind = new Int8Array(maxMoves);
    this.tmp = new Int32Array(n + 1);
    this.ends = new Int32Array(n);
    const base = 10 + Math.floor(shop.jobs / Math.max(1, shop.machines));
    this.tenureMin = base;
    this.tenureMax = Math.ceil(base * 1.5);
  }

  resetTabu(): void {
    this.tabu.fill(0);
    this.iteration = 0;
  }

  /** Extracts one critical path (random tie-breaking) into `path`; returns its length. */
  criticalPath(s: Sequencing): number {
    const { dur, jobPrev } = this.shop;
    const { head, machPrev } = s;
    let endCount = 0;
    for (let i = 0; i < this.n; i++) if (head[i] + dur[i] === s.makespan) this.ends[endCount++] = i;
    let x = this.ends[this.rng.int(endCount)];
    let len = 0;
    const rev = this.tmp;
    while (x >= 0) {
      rev[len++] = x;
      const h = head[x];
      const mp = machPrev[x];
      const jp = jobPrev[x];
      const mOk = mp >= 0 && head[mp] + dur[mp] === h;
      const jOk = jp >= 0 && head[jp] + dur[jp] === h;
      if (mOk && jOk) x = this.rng.next() < 0.5 ? mp : jp;
      else if (mOk) x = mp;
      else if (jOk) x = jp;
      else x = -1;
    }
    for (let k = 0; k < len; k++) this.path[k] = rev[len - 1 - k];
    return len;
  }

  /** Generates N6 moves for the current critical path; returns the number of moves. */
  private generateMoves(s: Sequencing, pathLen: number): number {
    const { dur, jobNext, jobPrev } = this.shop;
    const { head, tail, pos, machNext, seq } = s;
    const path = this.path;
    // split into blocks (positions in path)
    let blocks = 0;
    let k = 0;
    while (k < pathLen) {
      let e = k;
      while (e + 1 < pathLen && machNext[path[e]] === path[e + 1]) e++;
      if (e > k) {
        this.blockStart[blocks] = k;
        this.blockEnd[blocks] = e;
        blocks++;
      }
      k = e + 1;
    }
    this.moveCount = 0;
    for (let b = 0; b < blocks; b++) {
      const bs = this.blockStart[b];
      const be = this.blockEnd[b];
      const first = path[bs];
      const last = path[be];
      const atStart = bs === 0;
      const atEnd = be === pathLen - 1;
      const fp = pos[first];
      const lp = pos[last];
      // forward moves: u moved right after `last` (u anywhere before last), and `first` moved after v
      for (let p = fp; p < lp; p++) {
        const u = seq[p];
        // moving u after last changes the block's last op: useless only in the last block when u is not first
        if (atEnd && !atStart && u !== first) continue;
        const js = jobNext[u];
        if (js >= 0 && dur[last] + tail[last] < dur[js] + tail[js]) continue;
        this.addMove(u, last, FORWARD);
      }
      for (let p = fp + 1; p < lp; p++) {
        const v = seq[p];
        if (atStart && !atEnd) continue; // keeps the last op of the first block: cannot improve
        const js = jobNext[first];
        if (js >= 0 && dur[v] + tail[v] < dur[js] + tail[js]) continue;
        this.addMove(first, v, FORWARD);
      }
      // backward moves: v moved right before `first`, and `last` moved before u
      for (let p = fp + 1; p <= lp; p++) {
        const v = seq[p];
        if (p === lp && lp === fp + 1) continue; // adjacent swap already generated as a forward move
        if (atStart && !atEnd && v !== last) continue;
        const jp = jobPrev[v];
        if (jp >= 0 && head[first] + dur[first] < head[jp] + dur[jp]) continue;
        this.addMove(v, first, BACKWARD);
      }
      for (let p = fp + 1; p < lp; p++) {
        const u = seq[p];
        if (atEnd && !atStart) continue; // keeps the first op of the last block
        const jp = jobPrev[last];
        if (jp >= 0 && head[u] + dur[u] < head[jp] + dur[jp]) continue;
        this.addMove(last, u, BACKWARD);
      }
    }
    return this.moveCount;
  }

  private moveCount = 0;

  private addMove(a: number, b: number, kind: number): void {
    const c = this.moveCount++;
    this.moveA[c] = a;
    this.moveB[c] = b;
    this.moveKind[c] = kind;
  }

  /** Approximate makespan after moving `a` right after `b` (FORWARD) or right before `b` (BACKWARD). */
  private estimate(s: Sequencing, a: number, b: number, kind: number): number {
    const { dur, jobPrev, jobNext } = this.shop;
    const { head, tail, pos, seq, machPrev, machNext } = s;
    const r = this.tmp;
    let lo: number;
    let hi: number;
    if (kind === FORWARD) {
      lo = pos[a];
      hi = pos[b];
    } else {
      lo = pos[b];
      hi = pos[a];
    }
    const len = hi - lo + 1;
    // new order of the segment: FORWARD = seq[lo+1..hi], a ; BACKWARD = a, seq[lo..hi-1]
    const forward = kind === FORWARD;
    const shiftBy = forward ? lo + 1 : lo - 1;
    const before = machPrev[seq[lo]];
    let prevEnd = before >= 0 ? head[before] + dur[before] : 0;
    for (let t = 0; t < len; t++) {
      const x = forward ? (t === len - 1 ? a : seq[shiftBy + t]) : t === 0 ? a : seq[shiftBy + t];
      const jp = jobPrev[x];
      let h = jp >= 0 ? head[jp] + dur[jp] : 0;
      if (prevEnd > h) h = prevEnd;
      r[t] = h;
      prevEnd = h + dur[x];
    }
    const after = machNext[seq[hi]];
    let nextTail = after >= 0 ? tail[after] + dur[after] : 0;
    let est = 0;
    for (let t = len - 1; t >= 0; t--) {
      const x = forward ? (t === len - 1 ? a : seq[shiftBy + t]) : t === 0 ? a : seq[shiftBy + t];
      const js = jobNext[x];
      let q = js >= 0 ? tail[js] + dur[js] : 0;
      if (nextTail > q) q = nextTail;
      const total = r[t] + dur[x] + q;
      if (total > est) est = total;
      nextTail = q + dur[x];
    }
    return est;
  }

  private isTabu(s: Sequencing, a: number, b: number, kind: number): boolean {
    const { pos, seq } = s;
    const n = this.n;
    const it = this.iteration;
    const tabu = this.tabu;
    if (kind === FORWARD) {
      for (let p = pos[a] + 1; p <= pos[b]; p++) if (tabu[(seq[p] * n + a) % this.tabuSize] > it) return true;
    } else {
      for (let p = pos[b]; p < pos[a]; p++) if (tabu[(a * n + seq[p]) % this.tabuSize] > it) return true;
    }
    return false;
  }

  private apply(s: Sequencing, a: number, b: number, kind: number): void {
    const { pos, seq } = s;
    const n = this.n;
    const tenure = this.tenureMin + this.rng.int(this.tenureMax - this.tenureMin + 1);
    const until = this.iteration + tenure;
    if (kind === FORWARD) {
      const from = pos[a];
      const to = pos[b];
      for (let p = from + 1; p <= to; p++) this.tabu[(a * n + seq[p]) % this.tabuSize] = until;
      s.shift(from, to);
    } else {
      const from = pos[a];
      const to = pos[b];
      for (let p = to; p < from; p++) this.tabu[(seq[p] * n + a) % this.tabuSize] = until;
      s.shift(from, to);
    }
  }

  /**
   * Runs tabu search from `cur` (evaluated) until `maxStagnation` iterations pass without improving
   * the best of this run, or the budget ends. Keeps the run's best in `best` (evaluated).
   * Returns the best makespan of this run.
   */
  run(cur: Sequencing, best: Sequencing, globalBest: { makespan: number }, maxStagnation: number, budget: SearchBudget): number {
    best.copyFrom(cur);
    let sinceImprovement = 0;
    while (sinceImprovement < maxStagnation && !budgetExhausted(budget)) {
      budget.iterations++;
      this.iteration++;
      sinceImprovement++;
      const pathLen = this.criticalPath(cur);
      const count = this.generateMoves(cur, pathLen);
      if (count === 0) {
        // no neighbour: the critical path is a single job or a single machine, so this is optimal
        budget.stopped = true;
        break;
      }
      let chosen = -1;
      let chosenEst = Infinity;
      let ties = 0;
      for (let k = 0; k < count; k++) {
        const a = this.moveA[k];
        const b = this.moveB[k];
        const kind = this.moveKind[k];
        const est = this.estimate(cur, a, b, kind);
        if (est > chosenEst) continue;
        if (est >= globalBest.makespan && this.isTabu(cur, a, b, kind)) continue;
        if (est < chosenEst) {
          chosenEst = est;
          chosen = k;
          ties = 1;
        } else if (this.rng.int(++ties) === 0) {
          chosen = k;
        }
      }
      if (chosen < 0) chosen = this.rng.int(count);
      this.apply(cur, this.moveA[chosen], this.moveB[chosen], this.moveKind[chosen]);
      if (!cur.evaluate()) throw new Error('tabu search produced a cyclic schedule');
      if (cur.makespan < best.makespan) {
        best.copyFrom(cur);
        sinceImprovement = 0;
        if (cur.makespan < globalBest.makespan) {
          globalBest.makespan = cur.makespan;
          budget.improved(cur.makespan);
          if (cur.makespan <= budget.target) budget.stopped = true;
        }
      }
    }
    return best.makespan;
  }

  /** Random perturbation: `steps` random adjacent swaps on critical blocks (always feasible). */
  perturb(s: Sequencing, steps: number): void {
    for (let t = 0; t < steps; t++) {
      const len = this.criticalPath(s);
      const { machNext } = s;
      let candidates = 0;
      for (let k = 0; k + 1 < len; k++) if (machNext[this.path[k]] === this.path[k + 1]) this.ends[candidates++] = k;
      if (candidates === 0) return;
      const k = this.ends[this.rng.int(candidates)];
      s.shift(s.pos[this.path[k]], s.pos[this.path[k + 1]]);
      if (!s.evaluate()) throw new Error('perturbation produced a cyclic schedule');
    }
  }
}

