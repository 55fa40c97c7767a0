import { z } from 'zod';
import { q } from '../../platform/kernel/index.ts';

export const BomBody = z.strictObject({
  components: z
    .array(
      z.strictObject({
        itemCode: z.string().trim().min(1),
        qty: z.number().finite().positive(),
        scrapFactor: z.number().finite().min(0).max(10).optional(),
      }),
    )
    .max(1000),
});
export type BomBody = z.infer<typeof BomBody>;

export interface BomEdge {
  parent: string;
  component: string;
  qty: number;
  scrapFactor: number;
}

/**
 * The path of a cycle the new components of `item` would close, e.g. [A, B, C, A], or null.
 * `children` gives the components of every BOM in force (the new one of `item` included).
 */
export function findCycle(item: string, children: (code: string) => string[]): string[] | null {
  const path: string[] = [item];
  const done = new Set<string>();
  const walk = (code: string): string[] | null => {
    for (const c of children(code)) {
      if (c === item) return [...path, c];
      if (done.has(c) || path.includes(c)) continue;
      path.push(c);
      const found = walk(c);
      if (found) return found;
      path.pop();
      done.add(c);
    }
    return null;
  };
  return walk(item);
}

/**
 * Low-level codes (0 = top; a component is one level below its lowest parent) and the
 * standard-cost roll-up, in one pass over a topological order of the BOM graph.
 * Items with a BOM cost the sum of their components × qty × (1 + scrap); others keep their own.
 */
export function rollUp(items: { code: string; standardCost: number }[], edges: BomEdge[]) {
  const childrenOf = new Map<string, BomEdge[]>();
  const parents = new Map<string, number>();
  for (const e of edges) {
    let list = childrenOf.get(e.parent);
    if (!list) childrenOf.set(e.parent, (list = []));
    list.push(e);
    parents.set(e.component, (parents.get(e.component) ?? 0) + 1);
  }
  const level = new Map<string, number>();
  const order: string[] = [];
  for (const i of items) if (!parents.get(i.code)) order.push(i.code);
  for (const c of order) if (!level.has(c)) level.set(c, 0);
  const waiting = new Map(parents);
  for (let k = 0; k < order.length; k++) {
    const p = order[k];
    const lp = level.get(p) ?? 0;
    for (const e of childrenOf.get(p) ?? []) {
      level.set(e.component, Math.max(level.get(e.component) ?? 0, lp + 1));
      const left = (waiting.get(e.component) ?? 0) - 1;
      waiting.set(e.component, left);
      if (left === 0) order.push(e.component);
    }
  }
  const cost = new Map(items.map((i) => [i.code, i.standardCost]));
  for (let k = order.length - 1; k >= 0; k--) {
    const kids = childrenOf.get(order[k]);
    if (!kids) continue;
    let total = 0;
    for (const e of kids) total += e.qty * (1 + e.scrapFactor) * (cost.get(e.component) ?? 0);
    cost.set(order[k], q(total));
  }
  return { level, cost };
}
