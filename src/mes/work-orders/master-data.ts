import type { Queryable } from '../../platform/index.ts';
import type { BomComponent, ItemFacts } from './model.ts';

export interface Bom {
  version: number;
  components: BomComponent[];
  /** Outbox position of the message that brought it (null: known from the start). */
  seq: number | null;
}

/** One operation of an item's current routing, as it is copied onto a work order. */
export interface RoutingStep {
  seq: number;
  name: string;
  work_center: string;
  setup_minutes: string;
  minutes_per_unit: string;
  inspection_required: boolean;
  alternatives: string[];
  setup_family: string | null;
  version: number;
}

interface MasterRow {
  code: string;
  kind: string | null;
  uom: string | null;
  boms: Bom[] | null;
  routing: RoutingStep[] | null;
  done_lines: string[];
  max_seq: string | number | null;
}

export interface MasterData {
  items: Map<string, ItemFacts>;
  /** Every BOM version of every item the requests may need, lowest first. */
  boms: Map<string, Bom[]>;
  routings: Map<string, RoutingStep[]>;
  /** `salesOrder/lineNo` of lines that already have work orders */
  doneLines: Set<string>;
  /** The newest BOM message the MES has: "now" for versions in force. */
  latestSeq: number | null;
}

/** The BOM version in force at `asOf` (an outbox position; null = now): the highest that came before it. */
export function bomAt(m: MasterData, code: string, asOf: number | null): Bom | undefined {
  const all = m.boms.get(code) ?? [];
  let found: Bom | undefined;
  for (const b of all) if (asOf === null || b.seq === null || b.seq <= asOf) if (!found || b.version > found.version) found = b;
  return found;
}

export const namedBom = (m: MasterData, code: string, version: number) => m.boms.get(code)?.find((b) => b.version === version);

/**
 * Items, BOM versions and current routings of everything the requests may need, in one recursive
 * query over the BOM closure (through every version, so an older version's components are there too).
 */
export async function loadMasterData(q: Queryable, codes: string[], salesOrders: string[]): Promise<MasterData> {
  const rows = await q.query<MasterRow>(
    `with recursive need(code, depth) as (
        select code, 0 from unnest($1::text[]) as s(code)
        union
        select c->>'itemCode', n.depth + 1 from need n
          join mes.boms b on b.item_code = n.code
          cross join lateral jsonb_array_elements(b.components) c
         where n.depth < 20)
     select n.code, i.kind, i.uom,
            (select jsonb_agg(jsonb_build_object('version', b.version, 'components', b.components, 'seq', b.message_seq) order by b.version)
               from mes.boms b where b.item_code = n.code) as boms,
            (select jsonb_agg(jsonb_build_object('seq', r.seq, 'name', r.name, 'work_center', r.work_center, 'setup_minutes', r.setup_minutes,
                     'minutes_per_unit', r.minutes_per_unit, 'inspection_required', r.inspection_required, 'alternatives', r.alternatives, 'setup_family', r.setup_family,
                     'version', r.version) order by r.seq)
               from mes.routing_operations r where r.item_code = n.code
                and r.version = (select max(x.version) from mes.routing_operations x where x.item_code = n.code)) as routing,
            (select coalesce(array_agg(distinct w.sales_order || '/' || w.line_no), '{}') from mes.work_orders w
              where w.sales_order = any($2::text[]) and w.top) as done_lines,
            (select max(message_seq) from mes.boms) as max_seq
       from (select distinct code from need) n
       left join mes.items i on i.code = n.code`,
    [codes, salesOrders],
  );
  const m: MasterData = {
    items: new Map(),
    boms: new Map(),
    routings: new Map(),
    doneLines: new Set(rows[0]?.done_lines ?? []),
    latestSeq: rows[0]?.max_seq == null ? null : Number(rows[0].max_seq),
  };
  for (const r of rows) {
    if (r.kind) m.items.set(r.code, { code: r.code, kind: r.kind, uom: r.uom ?? 'pcs' });
    if (r.boms) m.boms.set(r.code, r.boms.map((b) => ({ ...b, seq: b.seq == null ? null : Number(b.seq) })));
    if (r.routing) m.routings.set(r.code, r.routing);
  }
  return m;
}
