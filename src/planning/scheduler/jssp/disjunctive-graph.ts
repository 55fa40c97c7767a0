import type { JobShopInstance } from './types.ts';

/**
 * The job-shop instance compiled to flat typed arrays. Operations are numbered 0..n-1 job by job;
 * `jobPrev`/`jobNext` are the conjunctive arcs (-1 = none).
 */
export interface CompiledShop {
  n: number;
  machines: number;
  jobs: number;
  dur: Int32Array;
  mach: Int32Array;
  jobOf: Int32Array;
  jobPrev: Int32Array;
  jobNext: Int32Array;
  /** First operation of each job (n for an empty job), length jobs + 1 (prefix offsets). */
  jobOffset: Int32Array;
  /** Offsets of each machine's slice in a machine-sequence array, length machines + 1. */
  machOffset: Int32Array;
  /** Trivial lower bound: max(longest job, most loaded machine). */
  lowerBound: number;
}

export function compileShop(instance: JobShopInstance): CompiledShop {
  const jobs = instance.jobs.length;
  const machines = instance.machines;
  let n = 0;
  for (const job of instance.jobs) n += job.length;
  const dur = new Int32Array(n);
  const mach = new Int32Array(n);
  const jobOf = new Int32Array(n);
  const jobPrev = new Int32Array(n).fill(-1);
  const jobNext = new Int32Array(n).fill(-1);
  const jobOffset = new Int32Array(jobs + 1);
  const load = new Float64Array(machines);
  const count = new Int32Array(machines);
  let lowerBound = 0;
  let id = 0;
  instance.jobs.forEach((job, j) => {
    jobOffset[j] = id;
    let length = 0;
    job.forEach((op, k) => {
      if (!Number.isInteger(op.machine) || op.machine < 0 || op.machine >= machines) {
        throw new RangeError(`job ${j} op ${k}: machine ${op.machine} out of range`);
      }
      if (!Number.isInteger(op.duration) || op.duration < 0) {
        throw new RangeError(`job ${j} op ${k}: duration must be a non-negative integer`);
      }
      dur[id] = op.duration;
      mach[id] = op.machine;
      jobOf[id] = j;
      if (k > 0) {
        jobPrev[id] = id - 1;
        jobNext[id - 1] = id;
      }
      load[op.machine] += op.duration;
      count[op.machine]++;
      length += op.duration;
      id++;
    });
    lowerBound = Math.max(lowerBound, length);
  });
  jobOffset[jobs] = n;
  const machOffset = new Int32Array(machines + 1);
  for (let m = 0; m < machines; m++) {
    machOffset[m + 1] = machOffset[m] + count[m];
    lowerBound = Math.max(lowerBound, load[m]);
  }
  return { n, machines, jobs, dur, mach, jobOf, jobPrev, jobNext, jobOffset, machOffset, lowerBound };
}

/**
 * A solution: the order of operations on every machine, with heads (earliest starts) and tails
 * (longest path from an operation's end to the sink) of the semi-active schedule it implies.
 */
export class Sequencing {
  readonly seq: Int32Array;
  readonly pos: Int32Array;
  readonly machPrev: Int32Array;
  readonly machNext: Int32Array;
  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly topo: Int32Array;
  private readonly indeg: Int32Array;
  makespan = 0;

  constructor(readonly shop: CompiledShop) {
    const n = shop.n;
    this.seq = new Int32Array(n);
    this.pos = new Int32Array(n);
    this.machPrev = new Int32Array(n);
    this.machNext = new Int32Array(n);
    this.head = new Int32Array(n);
    this.tail = new Int32Array(n);
    this.topo = new Int32Array(n);
    this.indeg = new Int32Array(n);
  }

  /** Sets the machine sequences (seq holds, for each machine slice, its operations in order). */
  setSequence(seq: ArrayLike<number>): void {
    this.seq.set(seq);
    this.relink(0, this.shop.machines);
  }

  copyFrom(other: Sequencing): void {
    this.seq.set(other.seq);
    this.pos.set(other.pos);
    this.machPrev.set(other.machPrev);
    this.machNext.set(other.machNext);
    this.head.set(other.head);
    this.tail.set(other.tail);
    this.topo.set(other.topo);
    this.makespan = other.makespan;
  }

  private relink(fromMachine: number, toMachine: number): void {
    const { machOffset } = this.shop;
    for (let m = fromMachine; m < toMachine; m++) this.relinkRange(machOffset[m], machOffset[m + 1] - 1, m);
  }

  /** Re-derives pos/machPrev/machNext for positions lo..hi (inclusive) of machine m's slice. */
  relinkRange(lo: number, hi: number, m: number): void {
    const { machOffset } = this.shop;
    const first = machOffset[m];
    const last = machOffset[m + 1] - 1;
    const seq = this.seq;
    for (let i = lo; i <= hi; i++) {
      const op = seq[i];
      this.pos[op] = i;
      this.machPrev[op] = i > first ? seq[i - 1] : -1;
      this.machNext[op] = i < last ? seq[i + 1] : -1;
    }
    if (lo > first) this.machNext[seq[lo - 1]] = seq[lo];
    if (hi < last) this.machPrev[seq[hi + 1]] = seq[hi];
  }

  /**
   * Recomputes heads, tails and makespan. Returns false (leaving values undefined) if the machine
   * orders make the graph cyclic.
   */
  evaluate(): boolean {
    const { n, dur, jobPrev, jobNext } = this.shop;
    const { machPrev, machNext, head, tail, topo, indeg } = this;
    let qEnd = 0;
    for (let i = 0; i < n; i++) {
      const d = (jobPrev[i] >= 0 ? 1 : 0) + (machPrev[i] >= 0 ? 1 : 0);
      indeg[i] = d;
      if (d === 0) {
        topo[qEnd++] = i;
        head[i] = 0;
      }
    }
    // Kahn's algorithm; an operation's head is final when it is dequeued, so push heads forward
    let makespan = 0;
    let qHead = 0;
    while (qHead < qEnd) {
      const i = topo[qHead++];
      const end = head[i] + dur[i];
      if (end > makespan) makespan = end;
      const js = jobNext[i];
      if (js >= 0) {
        if (--indeg[js] === 0) {
          const mp = machPrev[js];
          let h = end;
          if (mp >= 0) {
            const e = head[mp] + dur[mp];
            if (e > h) h = e;
          }
          head[js] = h;
          topo[qEnd++] = js;
        }
      }
      const ms = machNext[i];
      if (ms >= 0) {
        if (--indeg[ms] === 0) {
          const jp = jobPrev[ms];
          let h = end;
          if (jp >= 0) {
            const e = head[jp] + dur[jp];
            if (e > h) h = e;
          }
          head[ms] = h;
          topo[qEnd++] = ms;
        }
      }
    }
    if (qEnd < n) return false;
    for (let k = n - 1; k >= 0; k--) {
      const i = topo[k];
      let t = 0;
      const js = jobNext[i];
      if (js >= 0) t = tail[js] + dur[js];
      const ms = machNext[i];
      if (ms >= 0) {
        const e = tail[ms] + dur[ms];
        if (e > t) t = e;
      }
      tail[i] = t;
    }
    this.makespan = makespan;
    return true;
  }

  /** Moves the operation at position `from` to position `to` within the same machine slice. */
  shift(from: number, to: number): void {
    const seq = this.seq;
    const op = seq[from];
    const m = this.shop.mach[op];
    if (from < to) {
      seq.copyWithin(from, from + 1, to + 1);
      seq[to] = op;
      this.relinkRange(from, to, m);
    } else if (from > to) {
      seq.copyWithin(to + 1, to, from);
      seq[to] = op;
      this.relinkRange(to, from, m);
    }
  }

  /** Start times per job and operation, from the heads. */
  starts(): number[][] {
    const { jobs, jobOffset } = this.shop;
    const out: number[][] = [];
    for (let j = 0; j < jobs; j++) {
      const row: number[] = [];
      for (let i = jobOffset[j]; i < jobOffset[j + 1]; i++) row.push(this.head[i]);
      out.push(row);
    }
    return out;
  }
}
