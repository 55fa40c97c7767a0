import type { CompiledShopProblem } from './compile.ts';

/** Per-operation look-ahead data used by the rules. */
export interface ShopPriorities {
  /** Working minutes on the longest path from the operation's start to the end of everything after it. */
  tailWork: Float64Array;
  /** Latest end that keeps every downstream work order on time (Infinity without due dates). */
  opDue: Float64Array;
  /** Largest weight among the work orders downstream. */
  opWeight: Float64Array;
  meanDuration: number;
}

export function computePriorities(p: CompiledShopProblem): ShopPriorities {
  const { n, dur, predStart, predList, woOf, woDue, woWeight } = p;
  // reverse topological order over all precedence arcs (including those into frozen ops)
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) for (let k = predStart[i]; k < predStart[i + 1]; k++) succs[predList[k]].push(i);
  const indeg = new Int32Array(n);
  for (let i = 0; i < n; i++) indeg[i] = predStart[i + 1] - predStart[i];
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let q = 0; q < order.length; q++) for (const s of succs[order[q]]) if (--indeg[s] === 0) order.push(s);
  const tailWork = new Float64Array(n);
  const opDue = new Float64Array(n);
  const opWeight = new Float64Array(n);
  let total = 0;
  for (let k = order.length - 1; k >= 0; k--) {
    const i = order[k];
    let tw = 0;
    let due = woDue[woOf[i]];
    let weight = woWeight[woOf[i]];
    for (const s of succs[i]) {
      tw = Math.max(tw, tailWork[s]);
      due = Math.min(due, opDue[s] - dur[s]);
      weight = Math.max(weight, opWeight[s]);
    }
    tailWork[i] = tw + dur[i];
    opDue[i] = due;
    opWeight[i] = weight;
    total += dur[i];
  }
  return { tailWork, opDue, opWeight, meanDuration: n > 0 ? Math.max(1, total / n) : 1 };
}
