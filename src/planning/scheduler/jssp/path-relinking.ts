import type { Sequencing } from './disjunctive-graph.ts';
import type { Rng } from '../random.ts';
import type { SearchBudget } from './budget.ts';

/** Number of machine-sequence positions where two solutions differ (a cheap distance). */
export function distance(a: Sequencing, b: Sequencing): number {
  let d = 0;
  const x = a.seq;
  const y = b.seq;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) d++;
  return d;
}

/**
 * Path relinking: walks from `from` towards `guide` by moving, on a random machine, the guide's
 * operation at the first differing position into place (skipping moves that would make a cycle).
 * Among the solutions met between 1/4 and 3/4 of the way, the best is left in `out`.
 */
export function relink(from: Sequencing, guide: Sequencing, work: Sequencing, out: Sequencing, rng: Rng, budget: SearchBudget): boolean {
  const shop = from.shop;
  const d0 = distance(from, guide);
  if (d0 < 4) return false;
  work.copyFrom(from);
  const machines = shop.machines;
  const { machOffset } = shop;
  const lo = Math.floor(d0 / 4);
  const hi = Math.ceil((3 * d0) / 4);
  let found = false;
  let steps = 0;
  const order = new Int32Array(machines);
  for (let m = 0; m < machines; m++) order[m] = m;
  for (;;) {
    // random machine order; first machine with a feasible improving move wins
    for (let m = machines - 1; m > 0; m--) {
      const k = rng.int(m + 1);
      const t = order[m];
      order[m] = order[k];
      order[k] = t;
    }
    let moved = false;
    for (let t = 0; t < machines && !moved; t++) {
      const m = order[t];
      let k = machOffset[m];
      const end = machOffset[m + 1];
      while (k < end && work.seq[k] === guide.seq[k]) k++;
      if (k >= end) continue;
      const p = work.pos[guide.seq[k]];
      work.shift(p, k);
      budget.iterations++;
      if (work.evaluate()) moved = true;
      else work.shift(k, p);
    }
    if (!moved) break;
    steps++;
    const d = distance(work, guide);
    if (d <= hi && d >= lo && (!found || work.makespan < out.makespan)) {
      out.copyFrom(work);
      found = true;
    }
    if (d < lo || steps > d0) break;
  }
  if (found) return true;
  return false;
}
