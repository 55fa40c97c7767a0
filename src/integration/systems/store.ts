import type { Queryable } from '../../platform/index.ts';
import type { SystemInput, SystemRole, SystemView } from './model.ts';

export interface SystemRow {
  code: string;
  name: string;
  role: SystemRole;
  webhook_url: string | null;
  webhook_secret: string | null;
  plants: string[];
  created_at: Date;
  updated_at: Date;
}

export const toSystemView = (r: SystemRow): SystemView => ({
  code: r.code,
  name: r.name,
  role: r.role,
  webhook: r.webhook_url ? { url: r.webhook_url } : null,
  plants: r.plants ?? [],
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function systemRow(q: Queryable, code: string): Promise<SystemRow | undefined> {
  const [r] = await q.query<SystemRow>('select * from integration.systems where code = $1', [code]);
  return r;
}

export async function systemRows(q: Queryable): Promise<SystemRow[]> {
  return q.query<SystemRow>('select * from integration.systems order by code');
}

/** Inserts or updates; `webhook: undefined` keeps the current webhook, `null` removes it. */
export async function upsertSystemRow(q: Queryable, code: string, s: SystemInput): Promise<SystemRow> {
  const keep = s.webhook === undefined;
  const [r] = await q.query<SystemRow>(
    `insert into integration.systems (code, name, role, webhook_url, webhook_secret, plants) values ($1, $2, $3, $4, $5, coalesce($7::text[], '{}'))
     on conflict (code) do update set name = excluded.name, role = excluded.role,
       plants = coalesce($7::text[], integration.systems.plants),
       webhook_url = case when $6 then integration.systems.webhook_url else excluded.webhook_url end,
       webhook_secret = case when $6 then integration.systems.webhook_secret else excluded.webhook_secret end,
       updated_at = now()
     returning *`,
    [code, s.name, s.role, s.webhook?.url ?? null, s.webhook?.secret ?? null, keep, s.plants ? [...new Set(s.plants)] : null],
  );
  return r;
}
