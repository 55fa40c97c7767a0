import { notFound, type Queryable } from '../../platform/index.ts';
import type { MappingInput, MappingView, MessageKind } from './mappings-model.ts';

interface MappingRow {
  name: string;
  message: MessageKind;
  expression: string;
  updated_at: Date;
}

const toView = (r: MappingRow): MappingView => ({ name: r.name, message: r.message, expression: r.expression, updatedAt: r.updated_at.toISOString() });

export async function mappingOf(q: Queryable, system: string, name: string): Promise<MappingView | undefined> {
  const [r] = await q.query<MappingRow>('select name, message, expression, updated_at from integration.mappings where system = $1 and name = $2', [system, name]);
  return r && toView(r);
}

export async function requireMapping(q: Queryable, system: string, name: string): Promise<MappingView> {
  const m = await mappingOf(q, system, name);
  if (!m) throw notFound('mapping', `${system}/${name}`);
  return m;
}

export async function mappingsOf(q: Queryable, system: string): Promise<MappingView[]> {
  return (await q.query<MappingRow>('select name, message, expression, updated_at from integration.mappings where system = $1 order by name', [system])).map(toView);
}

export async function upsertMapping(q: Queryable, system: string, name: string, m: MappingInput): Promise<MappingView> {
  const [r] = await q.query<MappingRow>(
    `insert into integration.mappings (system, name, message, expression) values ($1, $2, $3, $4)
     on conflict (system, name) do update set message = excluded.message, expression = excluded.expression, updated_at = now()
     returning name, message, expression, updated_at`,
    [system, name, m.message, m.expression],
  );
  return toView(r);
}
