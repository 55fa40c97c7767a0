import { ALWAYS_OPEN, type WorkCalendar } from '../../calendar.ts';
import { ShopProblemError, type ShopProblem } from './types.ts';
import { assignAlternatives } from './assign.ts';

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
  /** Setup family of each operation (index into the families; -1 = none). */
  family: Int32Array;
  families: number;
  /** Per work centre: changeover minutes, families × families (from × families + to), or null. */
  setupMatrix: (Float64Array | null)[];
  /** Per work centre: the family of the frozen operation that ends last there (-1 = none). */
  initialFamily: Int32Array;
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
  const altList: (number[] | null)[] = [];
  const centreOf = (code: string, alternativeOf?: string): number => {
    let m = wcIndex.get(code);
    if (m === undefined) {
      if (alternativeOf !== undefined && problem.calendars && !(code in problem.calendars)) {
        throw new ShopProblemError(`operation ${alternativeOf}: unknown alternative work centre ${code}`);
      }
      m = workCenters.length;
      wcIndex.set(code, m);
      workCenters.push(code);
    }
    return m;
  };
  for (const code of Object.keys(problem.downtime ?? {})) centreOf(code);
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
      const m = centreOf(op.workCenter);
      machList.push(m);
      altList.push(op.alternatives?.length && !op.frozen ? [m, ...op.alternatives.filter((a) => a !== op.workCenter).map((a) => centreOf(a, op.id))] : null);
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
  if (queue.length < n) {
    const stuck = ids.filter((_, i) => indeg[i] > 0);
    throw new ShopProblemError(`operation precedence contains a cycle through ${stuck.slice(0, 5).join(', ')}${stuck.length > 5 ? ', …' : ''}`);
  }

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

  for (const [code, list] of Object.entries(problem.downtime ?? {})) {
    for (const d of list) if (d.end > d.start) blockedLists[wcIndex.get(code)!].push([d.start, d.end]);
  }
  const calendars = workCenters.map((wc) => problem.calendars?.[wc] ?? ALWAYS_OPEN);
  for (let i = 0; i < n; i++) {
    const m = machList[i];
    if (frozen[i]) continue;
    try {
      calendars[m].nextWorkingTime(horizon);
    } catch {
      throw new ShopProblemError(`work centre ${workCenters[m]} has no working time in the horizon (operation ${ids[i]})`);
    }
  }
  const blocked = blockedLists.map((list) => Float64Array.from(list.sort((a, b) => a[0] - b[0]).flat()));
  const setups = compileSetups(problem, ids, machList, frozenList, workCenters, wcIndex);
  const compiled: CompiledShopProblem = {
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
    ...setups,
  };
  assignAlternatives(compiled, altList, horizon);
  return compiled;
}

/**
 * Setup families and matrices to indices. A matrix naming an unknown work centre, or minutes that
 * are negative or not finite, is refused; families only named in a matrix cost nothing.
 */
function compileSetups(
  problem: ShopProblem,
  ids: string[],
  machList: number[],
  frozenList: ({ start: number; end: number } | undefined)[],
  workCenters: string[],
  wcIndex: Map<string, number>,
): Pick<CompiledShopProblem, 'family' | 'families' | 'setupMatrix' | 'initialFamily'> {
  const n = ids.length;
  const familyIndex = new Map<string, number>();
  const indexOf = (f: string) => familyIndex.get(f) ?? familyIndex.set(f, familyIndex.size).get(f)!;
  const family = new Int32Array(n).fill(-1);
  let k = 0;
  for (const wo of problem.workOrders) for (const op of wo.operations) family[k++] = op.setupFamily ? indexOf(op.setupFamily) : -1;
  const matrix = problem.setupMatrix ?? {};
  for (const [code, rows] of Object.entries(matrix)) {
    if (!wcIndex.has(code) && !(problem.calendars && code in problem.calendars)) throw new ShopProblemError(`setup matrix of unknown work centre ${code}`);
    for (const [from, row] of Object.entries(rows))
      for (const [to, minutes] of Object.entries(row)) {
        if (!Number.isFinite(minutes) || minutes < 0) throw new ShopProblemError(`work centre ${code}: setup from ${from} to ${to} must be a non-negative number of minutes`);
        indexOf(from);
        indexOf(to);
      }
  }
  const families = familyIndex.size;
  const setupMatrix = workCenters.map((code) => {
    const rows = matrix[code];
    if (!rows) return null;
    const m = new Float64Array(families * families);
    for (const [from, row] of Object.entries(rows)) for (const [to, minutes] of Object.entries(row)) if (from !== to) m[indexOf(from) * families + indexOf(to)] = minutes;
    return m;
  });
  const initialFamily = new Int32Array(workCenters.length).fill(-1);
  const lastEnd = new Float64Array(workCenters.length).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const f = frozenList[i];
    if (f && f.end > lastEnd[machList[i]]) {
      lastEnd[machList[i]] = f.end;
      initialFamily[machList[i]] = family[i];
    }
  }
  return { family, families, setupMatrix, initialFamily };
}

/**
 * Working minutes operation i needs after `prev` on its work centre (-1: it is the first unfrozen
 * one there, after the frozen operation that ends last): its own, plus the changeover from the
 * previous family when the centre has a setup matrix.
 */
export function processingMinutes(p: CompiledShopProblem, i: number, prev: number): number {
  const matrix = p.setupMatrix[p.mach[i]];
  if (matrix === null) return p.dur[i];
  const to = p.family[i];
  const from = prev >= 0 ? p.family[prev] : p.initialFamily[p.mach[i]];
  if (to < 0 || from < 0 || from === to) return p.dur[i];
  return p.dur[i] + matrix[from * p.families + to];
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
