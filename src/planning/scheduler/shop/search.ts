import { Rng } from '../random.ts';
import type { CompiledShopProblem, ShopScore } from './compile.ts';
import { ShopDecoder } from './decoder.ts';
import type { ShopObjective } from './types.ts';

/** Machine sequences of unfrozen operations with prev/next links, editable by moves. */
export class ShopSequences {
  readonly seqs: number[][];
  readonly machPrev: Int32Array;
  readonly machNext: Int32Array;
  readonly pos: Int32Array;

  constructor(n: number, seqs: number[][]) {
    this.seqs = seqs.map((s) => [...s]);
    this.machPrev = new Int32Array(n).fill(-1);
    this.machNext = new Int32Array(n).fill(-1);
    this.pos = new Int32Array(n).fill(-1);
    for (let m = 0; m < this.seqs.length; m++) this.relink(m, 0, this.seqs[m].length - 1);
  }

  clone(): ShopSequences {
    return new ShopSequences(this.pos.length, this.seqs);
  }

  private relink(m: number, lo: number, hi: number): void {
    const seq = this.seqs[m];
    const from = Math.max(0, lo - 1);
    const to = Math.min(seq.length - 1, hi + 1);
    for (let k = from; k <= to; k++) {
      const op = seq[k];
      this.pos[op] = k;
      this.machPrev[op] = k > 0 ? seq[k - 1] : -1;
      this.machNext[op] = k + 1 < seq.length ? seq[k + 1] : -1;
    }
  }

  /** Moves the operation at position `from` of machine m to position `to`. */
  shift(m: number, from: number, to: number): void {
    const seq = this.seqs[m];
    const [op] = seq.splice(from, 1);
    seq.splice(to, 0, op);
    this.relink(m, Math.min(from, to), Math.max(from, to));
  }
}

/**
 * Whether a is a better plan than b. For tardiness, a plan ending after `cap` is worse than one
 * that does not (and the one ending earlier of two such plans is better).
 */
export function better(a: ShopScore, b: ShopScore, objective: ShopObjective, cap = Infinity): boolean {
  if (objective === 'tardiness') {
    const overA = Math.max(0, a.makespan - cap);
    const overB = Math.max(0, b.makespan - cap);
    if (overA !== overB) return overA < overB;
    return a.tardiness < b.tardiness || (a.tardiness === b.tardiness && a.makespan < b.makespan);
  }
  return a.makespan < b.makespan || (a.makespan === b.makespan && a.tardiness < b.tardiness);
}

/** Most neighbours evaluated per iteration. */
const MAX_NEIGHBOURS = 48;

interface Move {
  m: number;
  from: number;
  to: number;
}

export interface ShopSearchBudget {
  maxIterations: number;
  deadline: number;
  now: () => number;
}

/**
 * Tabu search for the product scheduler. Neighbourhood: on the critical path of the makespan (or,
 * for tardiness, of a few late work orders), swap machine-adjacent operations and move an
 * operation to the front or back of its critical block. Every neighbour is evaluated exactly
 * (calendars and frozen operations included) by re-timing only the affected suffix of the current
 * topological order. Restarts from the best after stagnation. The deadline is checked before every
 * evaluation.
 */
export function searchShop(
  p: CompiledShopProblem,
  initial: ShopSequences,
  objective: ShopObjective,
  budget: ShopSearchBudget,
  seed: number,
  /** For tardiness: the latest makespan wanted (see `better`); while the plan ends later, the makespan's critical path is the neighbourhood. */
  cap = Infinity,
): { best: ShopSequences; score: ShopScore; iterations: number } {
  const rng = new Rng(seed);
  const decoder = new ShopDecoder(p);
  let cur = initial.clone();
  const curScore: ShopScore = { makespan: 0, tardiness: 0 };
  if (!decoder.decode(cur.machPrev, cur.machNext, curScore)) throw new Error('initial sequences are cyclic');
  let best = cur.clone();
  const bestScore: ShopScore = { ...curScore };
  const trial: ShopScore = { makespan: 0, tardiness: 0 };
  const tabu = new Map<number, number>();
  const n = p.n;
  const tenure = 7 + Math.floor(Math.sqrt(Math.max(1, n)) / 2);
  let iterations = 0;
  let stagnation = 0;
  const maxStagnation = 200 + 4 * n;

  const targets = (): number[] => {
    const { end } = decoder;
    if (objective === 'tardiness' && curScore.tardiness > 0 && curScore.makespan <= cap) {
      const late: number[] = [];
      for (let w = 0; w < p.woIds.length; w++) if (decoder.woCompletion[w] > p.woDue[w]) late.push(w);
      const picked = new Set<number>();
      let worst = late[0];
      for (const w of late) {
        if ((decoder.woCompletion[w] - p.woDue[w]) * p.woWeight[w] > (decoder.woCompletion[worst] - p.woDue[worst]) * p.woWeight[worst]) worst = w;
      }
      picked.add(worst);
      for (let k = 0; k < 2 && late.length > 1; k++) picked.add(late[rng.int(late.length)]);
      const out: number[] = [];
      for (let i = 0; i < n; i++) if (picked.has(p.woOf[i]) && end[i] === decoder.woCompletion[p.woOf[i]]) out.push(i);
      return out;
    }
    const ends: number[] = [];
    for (let i = 0; i < n; i++) if (end[i] === curScore.makespan) ends.push(i);
    return ends.length > 0 ? [ends[rng.int(ends.length)]] : [];
  };

  const neighbourhood = (): Move[] => {
    const moves: Move[] = [];
    const seen = new Set<number>();
    for (const target of targets()) {
      // walk the binding arcs back from target; collect blocks of machine-bound operations
      let y = target;
      let blockLast = -1;
      while (y >= 0) {
        const x = decoder.bind[y];
        const onMachine = x >= 0 && decoder.bindMachine[y] === 1;
        if (onMachine && blockLast < 0) blockLast = y;
        if (!onMachine && blockLast >= 0) {
          addBlockMoves(y, blockLast, moves, seen);
          blockLast = -1;
        }
        y = x;
      }
    }
    return moves;
  };

  const addBlockMoves = (first: number, last: number, moves: Move[], seen: Set<number>): void => {
    const m = p.mach[first];
    const lo = cur.pos[first];
    const hi = cur.pos[last];
    const add = (from: number, to: number): void => {
      const key = (m * (n + 1) + from) * (n + 1) + to;
      if (from === to || seen.has(key)) return;
      seen.add(key);
      moves.push({ m, from, to });
    };
    for (let k = lo; k < hi; k++) add(k, k + 1); // adjacent swaps
    for (let k = lo + 1; k < hi; k++) {
      add(k, lo); // to the front of the block
      add(k, hi); // to the back of the block
    }
    if (hi - lo >= 2) {
      add(lo, hi);
      add(hi, lo);
    }
  };

  const isTabu = (mv: Move): boolean => {
    const seq = cur.seqs[mv.m];
    const op = seq[mv.from];
    const now = iterations;
    if (mv.to > mv.from) {
      for (let k = mv.from + 1; k <= mv.to; k++) if ((tabu.get(seq[k] * n + op) ?? -1) > now) return true;
    } else {
      for (let k = mv.to; k < mv.from; k++) if ((tabu.get(op * n + seq[k]) ?? -1) > now) return true;
    }
    return false;
  };

  const remember = (mv: Move): void => {
    const seq = cur.seqs[mv.m];
    const op = seq[mv.from];
    const until = iterations + tenure + rng.int(tenure);
    if (mv.to > mv.from) for (let k = mv.from + 1; k <= mv.to; k++) tabu.set(op * n + seq[k], until);
    else for (let k = mv.to; k < mv.from; k++) tabu.set(seq[k] * n + op, until);
  };

  while (iterations < budget.maxIterations && budget.now() < budget.deadline) {
    iterations++;
    stagnation++;
    const moves = neighbourhood();
    if (moves.length > MAX_NEIGHBOURS) {
      // large problems: evaluate a random sample (every neighbour costs a full decode)
      for (let k = 0; k < MAX_NEIGHBOURS; k++) {
        const r = k + rng.int(moves.length - k);
        const t = moves[k];
        moves[k] = moves[r];
        moves[r] = t;
      }
      moves.length = MAX_NEIGHBOURS;
    }
    if (moves.length === 0) {
      if (stagnation > 1) break; // nothing can change the critical paths: stop
      continue;
    }
    let chosen: Move | undefined;
    const chosenScore: ShopScore = { makespan: Infinity, tardiness: Infinity };
    let outOfTime = false;
    for (const mv of moves) {
      if (budget.now() >= budget.deadline) {
        outOfTime = true;
        break;
      }
      cur.shift(mv.m, mv.from, mv.to);
      // only the operations from the moved range on can change: evaluate that suffix
      const seq = cur.seqs[mv.m];
      const ok = decoder.evaluate(cur.machPrev, cur.machNext, seq, Math.min(mv.from, mv.to), Math.min(seq.length, Math.max(mv.from, mv.to) + 2), trial);
      cur.shift(mv.m, mv.to, mv.from);
      if (!ok) continue;
      const aspiration = better(trial, bestScore, objective, cap);
      if (!aspiration && isTabu(mv)) continue;
      if (chosen === undefined || better(trial, chosenScore, objective, cap) || (!better(chosenScore, trial, objective, cap) && rng.next() < 0.5)) {
        chosen = mv;
        chosenScore.makespan = trial.makespan;
        chosenScore.tardiness = trial.tardiness;
      }
    }
    if (outOfTime && (chosen === undefined || !better(chosenScore, bestScore, objective, cap))) break;
    if (chosen === undefined) {
      tabu.clear();
      continue;
    }
    remember(chosen);
    cur.shift(chosen.m, chosen.from, chosen.to);
    decoder.decode(cur.machPrev, cur.machNext, curScore);
    if (better(curScore, bestScore, objective, cap)) {
      best = cur.clone();
      bestScore.makespan = curScore.makespan;
      bestScore.tardiness = curScore.tardiness;
      stagnation = 0;
    } else if (stagnation > maxStagnation) {
      if (objective === 'tardiness' && bestScore.tardiness === 0 && bestScore.makespan <= cap) break; // on time; makespan tie-break has had its chance
      cur = best.clone();
      tabu.clear();
      stagnation = 0;
      decoder.decode(cur.machPrev, cur.machNext, curScore);
      // perturb: a few random critical moves
      for (let k = 0; k < 3; k++) {
        const options = neighbourhood();
        if (options.length === 0) break;
        const mv = options[rng.int(options.length)];
        cur.shift(mv.m, mv.from, mv.to);
        if (!decoder.decode(cur.machPrev, cur.machNext, curScore)) {
          cur.shift(mv.m, mv.to, mv.from);
          decoder.decode(cur.machPrev, cur.machNext, curScore);
        }
      }
    }
  }
  return { best, score: bestScore, iterations };
}
