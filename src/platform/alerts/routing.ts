import type { Queryable, UnitOfWork } from '../db/index.ts';
import { ALERT_KINDS, DEFAULT_ALERT_ROLE, type AlertKind } from './alerts.ts';

/** The role each alert kind goes to: the configured routing over the defaults. */
export async function alertRouting(q: Queryable): Promise<Record<AlertKind, string>> {
  const rows = await q.query<{ kind: string; role: string }>('select kind, role from platform.alert_routing');
  const routing = { ...DEFAULT_ALERT_ROLE };
  for (const r of rows) if ((ALERT_KINDS as readonly string[]).includes(r.kind)) routing[r.kind as AlertKind] = r.role;
  return routing;
}

/**
 * Routes kinds to roles. Open alerts of those kinds move to the new role (who acknowledges them
 * now); `rule` alerts keep the role their rule names.
 */
export async function setAlertRouting(uow: UnitOfWork, changes: Partial<Record<AlertKind, string>>) {
  const before = await alertRouting(uow);
  const kinds = Object.keys(changes) as AlertKind[];
  if (kinds.length) {
    await uow.query(
      `insert into platform.alert_routing (kind, role) select * from unnest($1::text[], $2::text[])
       on conflict (kind) do update set role = excluded.role`,
      [kinds, kinds.map((k) => changes[k]!)],
    );
    await uow.query(
      `update platform.alerts a set role = r.role from platform.alert_routing r
        where a.kind = r.kind and a.acknowledged_at is null and a.kind <> 'rule' and a.kind = any($1::text[]) and a.role <> r.role`,
      [kinds],
    );
  }
  const after = await alertRouting(uow);
  uow.audit({
    action: 'route',
    entity: 'alert_routing',
    ref: kinds.join(',') || '-',
    before: Object.fromEntries(kinds.map((k) => [k, before[k]])),
    after: Object.fromEntries(kinds.map((k) => [k, after[k]])),
  });
  return after;
}
