import type { Queryable } from '../../platform/index.ts';
import { num } from '../../platform/index.ts';
import type { CodeKind, CodeMapRow } from './code-maps-model.ts';

interface CodeMapDbRow {
  kind: CodeKind;
  external: string;
  internal: string;
  factor: string | null;
}

const toRow = (r: CodeMapDbRow): CodeMapRow => (r.factor === null ? { external: r.external, internal: r.internal } : { external: r.external, internal: r.internal, factor: num(r.factor) });

export async function codeMapRows(q: Queryable, system: string, kind: CodeKind): Promise<CodeMapRow[]> {
  const rows = await q.query<CodeMapDbRow>('select kind, external, internal, factor from integration.code_maps where system = $1 and kind = $2 order by external', [system, kind]);
  return rows.map(toRow);
}

/** Replaces a kind's whole map (two statements in the caller's transaction). */
export async function replaceCodeMap(q: Queryable, system: string, kind: CodeKind, rows: CodeMapRow[]) {
  await q.query('delete from integration.code_maps where system = $1 and kind = $2', [system, kind]);
  if (!rows.length) return;
  await q.query(
    `insert into integration.code_maps (system, kind, external, internal, factor)
     select $1, $2, u.external, u.internal, u.factor from unnest($3::text[], $4::text[], $5::numeric[]) as u(external, internal, factor)`,
    [system, kind, rows.map((r) => r.external), rows.map((r) => r.internal), rows.map((r) => r.factor ?? null)],
  );
}

/** The maps of these (kind, external) codes of a system, in one query: `kind/external` → row. */
export async function lookUpCodes(q: Queryable, system: string, codes: { kind: CodeKind; external: string }[]): Promise<Map<string, CodeMapRow>> {
  if (!codes.length) return new Map();
  const rows = await q.query<CodeMapDbRow>(
    `select m.kind, m.external, m.internal, m.factor from integration.code_maps m
       join unnest($2::text[], $3::text[]) as c(kind, external) on m.kind = c.kind and m.external = c.external
      where m.system = $1`,
    [system, codes.map((c) => c.kind), codes.map((c) => c.external)],
  );
  return new Map(rows.map((r) => [`${r.kind}/${r.external}`, toRow(r)]));
}
