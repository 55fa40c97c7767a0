import { num, q as round, type Queryable } from '../../platform/index.ts';

/**
 * Codes and units back to an outside system's own (the reverse of the inbound code maps). Reads
 * `integration.code_maps(system, kind, external, internal, factor)`; without a map (or before that
 * table exists) the internal code passes through. A `uom` row says 1 external unit = `factor`
 * internal units, so a quantity goes back divided by it. When several external codes map to one
 * internal code, the one with factor 1 wins, then the first by code. The one place that reads the
 * code maps backwards: the feed and its webhooks use nothing else.
 */
export interface ReverseMaps {
  lookup(kind: string, internal: string): { external: string; factor: number } | undefined;
}

interface MapRow {
  system: string;
  kind: string;
  external: string;
  internal: string;
  factor: string | null;
}

let tablePresent = false;

async function hasCodeMaps(q: Queryable): Promise<boolean> {
  if (tablePresent) return true;
  const [r] = await q.query<{ present: boolean }>(`select to_regclass('integration.code_maps') is not null as present`);
  tablePresent = r.present;
  return tablePresent;
}

/** The reverse maps of some systems, one read. */
export async function reverseMaps(q: Queryable, systems: string[]): Promise<Map<string, ReverseMaps>> {
  const rows =
    systems.length && (await hasCodeMaps(q))
      ? await q.query<MapRow>(
          `select system, kind, external, internal, factor from integration.code_maps where system = any($1::text[])
            order by system, kind, internal, (coalesce(factor, 1) = 1) desc, external`,
          [systems],
        )
      : [];
  const out = new Map<string, ReverseMaps>();
  for (const s of systems) {
    const m = new Map<string, { external: string; factor: number }>();
    for (const r of rows) {
      const key = `${r.kind}\u0000${r.internal}`;
      if (r.system === s && !m.has(key)) m.set(key, { external: r.external, factor: r.factor === null ? 1 : num(r.factor) || 1 });
    }
    out.set(s, { lookup: (kind, internal) => m.get(`${kind}\u0000${internal}`) });
  }
  return out;
}

/** A code (and a quantity in its unit, for kind `uom`) as the system knows it. */
export function translateWith(maps: ReverseMaps | undefined, kind: string, internal: string, qty?: number): { code: string; qty?: number } {
  const hit = maps?.lookup(kind, internal);
  if (!hit) return { code: internal, qty };
  return { code: hit.external, qty: qty === undefined ? undefined : kind === 'uom' ? round(qty / hit.factor) : qty };
}
