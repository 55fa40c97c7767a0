import type { CompiledShop } from './disjunctive-graph.ts';
import type { Rng } from '../random.ts';

/** Dispatching rules for the Giffler–Thompson construction (higher score is dispatched first). */
export type PriorityRule = 'MWKR' | 'SPT' | 'MOPNR' | 'LPT' | 'MWKR/SPT';

export const PRIORITY_RULES: readonly PriorityRule[] = ['MWKR', 'MOPNR', 'MWKR/SPT', 'SPT', 'LPT'];

/**
 * Giffler–Thompson active-schedule generation: repeatedly take the operation with the earliest
 * possible completion, and among the operations on its machine that could start before that
 * completion, dispatch the one with the best priority. `noise` > 0 randomises the scores
 * (multiplicatively) using `rng`. Returns machine sequences (each machine's slice in order).
 */
export function gifflerThompson(shop: CompiledShop, rule: PriorityRule, rng?: Rng, noise = 0): Int32Array {
  const { n, jobs, dur, mach, jobOffset, machOffset } = shop;
  const remainingWork = new Float64Array(n);
  const remainingOps = new Float64Array(n);
  for (let j = 0; j < jobs; j++) {
    let work = 0;
    let ops = 0;
    for (let i = jobOffset[j + 1] - 1; i >= jobOffset[j]; i--) {
      work += dur[i];
      ops++;
      remainingWork[i] = work;
      remainingOps[i] = ops;
    }
  }
  const score = (i: number): number => {
    let s: number;
    switch (rule) {
      case 'MWKR':
        s = remainingWork[i];
        break;
      case 'SPT':
        s = -dur[i];
        break;
      case 'LPT':
        s = dur[i];
        break;
      case 'MOPNR':
        s = remainingOps[i] * 1e6 + remainingWork[i];
        break;
      case 'MWKR/SPT':
        s = remainingWork[i] / Math.max(1, dur[i]);
        break;
    }
    if (noise > 0 && rng) s = s * (1 + noise * (rng.next() - 0.5)) + noise * rng.next();
    return s;
  };
  const next = new Int32Array(jobs);
  for (let j = 0; j < jobs; j++) next[j] = jobOffset[j];
  const jobReady = new Float64Array(jobs);
  const machReady = new Float64Array(shop.machines);
  const fill = new Int32Array(shop.machines);
  const seq = new Int32Array(n);
  for (let scheduled = 0; scheduled < n; scheduled++) {
    let bestEnd = Infinity;
    let bestMachine = -1;
    for (let j = 0; j < jobs; j++) {
      const i = next[j];
      if (i >= jobOffset[j + 1]) continue;
      const m = mach[i];
      const end = Math.max(jobReady[j], machReady[m]) + dur[i];
      if (end < bestEnd) {
        bestEnd = end;
        bestMachine = m;
      }
    }
    let chosen = -1;
    let chosenScore = -Infinity;
    for (let j = 0; j < jobs; j++) {
      const i = next[j];
      if (i >= jobOffset[j + 1] || mach[i] !== bestMachine) continue;
      const start = Math.max(jobReady[j], machReady[bestMachine]);
      if (start >= bestEnd && !(start === bestEnd && dur[i] === 0)) continue;
      const s = score(i);
      if (chosen < 0 || s > chosenScore) {
        chosen = i;
        chosenScore = s;
      }
    }
    const j = shop.jobOf[chosen];
    const end = Math.max(jobReady[j], machReady[bestMachine]) + dur[chosen];
    jobReady[j] = end;
    machReady[bestMachine] = end;
    next[j]++;
    seq[machOffset[bestMachine] + fill[bestMachine]++] = chosen;
  }
  return seq;
}
