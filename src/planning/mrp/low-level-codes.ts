/**
 * Low-level codes: the lowest BOM level at which each item appears (0 = never a component).
 * Planning level by level guarantees that every parent has been planned, and its dependent
 * demand posted, before its components are netted. A cycle throws MrpBomCycleError naming it.
 */
import { MrpBomCycleError } from './errors.ts';

/**
 * @param itemCount number of items, indexed 0..itemCount−1
 * @param bomStart  components of item p are bomChild[bomStart[p] .. bomStart[p+1]−1]
 * @param bomChild  component item indexes
 * @param codes     item codes, to name a cycle
 */
export function lowLevelCodes(
  itemCount: number,
  bomStart: Int32Array,
  bomChild: Int32Array,
  codes: readonly string[],
): Int32Array {
  const inDegree = new Int32Array(itemCount);
  for (let e = 0; e < bomChild.length; e++) inDegree[bomChild[e]]++;
  const level = new Int32Array(itemCount);
  const queue = new Int32Array(itemCount);
  let tail = 0;
  for (let i = 0; i < itemCount; i++) if (inDegree[i] === 0) queue[tail++] = i;
  // Kahn's algorithm: an item is levelled once all its parents are
  for (let head = 0; head < tail; head++) {
    const parent = queue[head];
    const childLevel = level[parent] + 1;
    for (let e = bomStart[parent]; e < bomStart[parent + 1]; e++) {
      const child = bomChild[e];
      if (level[child] < childLevel) level[child] = childLevel;
      if (--inDegree[child] === 0) queue[tail++] = child;
    }
  }
  if (tail < itemCount) throw new MrpBomCycleError(findCycle(itemCount, bomStart, bomChild, inDegree, codes));
  return level;
}

/** Items left with inDegree > 0 after Kahn all lie on or below a cycle; walk parents to one. */
function findCycle(
  itemCount: number,
  bomStart: Int32Array,
  bomChild: Int32Array,
  inDegree: Int32Array,
  codes: readonly string[],
): string[] {
  // one remaining parent for each remaining item (every remaining item has at least one)
  const remainingParent = new Int32Array(itemCount).fill(-1);
  for (let p = 0; p < itemCount; p++) {
    if (inDegree[p] === 0) continue;
    for (let e = bomStart[p]; e < bomStart[p + 1]; e++) {
      const c = bomChild[e];
      if (inDegree[c] > 0 && remainingParent[c] === -1) remainingParent[c] = p;
    }
  }
  let start = 0;
  while (inDegree[start] === 0) start++;
  const seenAt = new Int32Array(itemCount).fill(-1);
  const path: number[] = [];
  let node = start;
  while (seenAt[node] === -1) {
    seenAt[node] = path.length;
    path.push(node);
    node = remainingParent[node];
  }
  // path walks child → parent; the cycle, parent → child, is its tail reversed
  const cycle = path.slice(seenAt[node]).reverse();
  // start the named cycle at its smallest code, for a stable message
  let first = 0;
  for (let k = 1; k < cycle.length; k++) if (codes[cycle[k]] < codes[cycle[first]]) first = k;
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...rotated, rotated[0]].map((i) => codes[i]);
}
