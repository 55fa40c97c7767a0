import type { Queryable } from '../../platform/index.ts';
import { forbidden, notFound, num } from '../../platform/index.ts';
import type { ScopeLists } from '../../platform/index.ts';

interface Edge {
  parent: string;
  child: string;
  qty: string | number;
}

interface LotFact {
  lot: string;
  item_code: string;
  initial_qty: string | number;
  supplier: string | null;
  work_order_id: string | null;
  sales_order: string | null;
  top: boolean | null;
  plant: string | null;
}

export interface GenealogyNode {
  lot: string;
  itemCode: string;
  qty: number;
  workOrder?: string;
  supplier?: string;
  salesOrders?: string[];
  children: GenealogyNode[];
}

/**
 * A lot's genealogy tree by one recursive query over mes.genealogy (indexed both ways):
 * backward = what went into the lot, down to supplier lots (child qty = quantity consumed);
 * forward = where it went, up to finished lots and their sales orders (child qty = lot produced).
 */
export async function traceLot(q: Queryable, lot: string, direction: 'backward' | 'forward', scope?: ScopeLists): Promise<GenealogyNode> {
  const [from, to] = direction === 'backward' ? ['output_lot', 'input_lot'] : ['input_lot', 'output_lot'];
  const [row] = await q.query<{ edges: Edge[]; facts: LotFact[] }>(
    `with recursive edge(id, parent, child, qty) as (
        select g.id, g.${from}, g.${to}, g.qty from mes.genealogy g where g.${from} = $1 and g.${to} is not null
        union
        select g.id, g.${from}, g.${to}, g.qty from edge e join mes.genealogy g on g.${from} = e.child where g.${to} is not null),
      agg as (select parent, child, sum(qty) as qty from edge group by parent, child)
     select (select coalesce(jsonb_agg(jsonb_build_object('parent', parent, 'child', child, 'qty', qty)), '[]') from agg) as edges,
            (select coalesce(jsonb_agg(jsonb_build_object('lot', l.lot, 'item_code', l.item_code, 'initial_qty', l.initial_qty, 'supplier', l.supplier,
                       'work_order_id', l.work_order_id, 'sales_order', w.sales_order, 'top', w.top, 'plant', w.plant)), '[]')
               from (select $1::text as lot union select child from agg) n
               join mes.lots l on l.lot = n.lot left join mes.work_orders w on w.id = l.work_order_id) as facts`,
    [lot],
  );
  const edges = row.edges.sort((a, b) => String(a.child).localeCompare(String(b.child)));
  const factOf = new Map(row.facts.map((f) => [f.lot, f]));
  if (!factOf.has(lot) && !edges.length) throw notFound('lot', lot);
  // A plant scope sees lots made in its plants and supplier lots; the tree stops at another plant's lots.
  const visible = (name: string) => {
    const plant = factOf.get(name)?.plant ?? null;
    return !scope?.plants || plant === null || scope.plants.includes(plant);
  };
  if (!visible(lot)) throw forbidden(`lot ${lot} is outside your data scope`, { lot, plant: factOf.get(lot)?.plant });
  const childrenOf = new Map<string, { child: string; qty: number }[]>();
  for (const e of edges) {
    const list = childrenOf.get(e.parent) ?? childrenOf.set(e.parent, []).get(e.parent)!;
    if (!list.some((c) => c.child === e.child)) list.push({ child: e.child, qty: num(e.qty) });
  }
  const node = (name: string, qty: number | null, seen: Set<string>): GenealogyNode => {
    const f = factOf.get(name);
    const n: GenealogyNode = { lot: name, itemCode: f?.item_code ?? '', qty: qty ?? num(f?.initial_qty), children: [] };
    if (f?.work_order_id) n.workOrder = f.work_order_id;
    if (f?.supplier) n.supplier = f.supplier;
    if (f?.sales_order && f.top) n.salesOrders = [f.sales_order];
    if (seen.has(name)) return n;
    const next = new Set(seen).add(name);
    n.children = (childrenOf.get(name) ?? []).filter((c) => visible(c.child)).map((c) => node(c.child, direction === 'backward' ? c.qty : null, next));
    return n;
  };
  return node(lot, null, new Set());
}
