import { z } from 'zod';
import { scopeParams } from '../auth/index.ts';
import type { Actor, Queryable } from '../db/index.ts';
import { containsPattern, PageBounds } from '../http/paging.ts';
import type { AlertParams } from './messages.ts';

/**
 * `GET /api/v1/alerts`: the filters (open, kind, role) and, for screens, a page of them
 * (`?q=&sort=&limit=&offset=`): one statement a page, the reader's visibility in it.
 */
export const AlertQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional(),
  kind: z.string().max(100).optional(),
  role: z.string().max(100).optional(),
  ...PageBounds,
  sort: z.enum(['id', '-id', 'severity', '-severity']).optional(),
});
type AlertQuery = z.infer<typeof AlertQuery>;


export interface AlertRow {
  id: number | string;
  kind: string;
  severity: string;
  ref: string;
  message: string;
  message_key: string | null;
  message_params: AlertParams | null;
  role: string;
  plant: string | null;
  correlation_id: string | null;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The contract's view of an alert row (`AlertView` in alerts.ts). */
export const alertView = (r: AlertRow) => ({
  id: Number(r.id),
  kind: r.kind,
  severity: r.severity,
  ref: r.ref,
  message: r.message,
  messageKey: r.message_key ?? null,
  params: r.message_params ?? null,
  role: r.role,
  plant: r.plant,
  correlationId: r.correlation_id,
  createdAt: r.created_at.toISOString(),
  acknowledgedAt: r.acknowledged_at ? r.acknowledged_at.toISOString() : null,
  acknowledgedBy: r.acknowledged_by,
  responseMinutes: r.acknowledged_at ? round2((r.acknowledged_at.getTime() - r.created_at.getTime()) / 60_000) : null,
});

const RANK = `case severity when 'critical' then 3 when 'warning' then 2 else 1 end`;
/** Newest first unless asked otherwise; `severity` goes info → critical (`-severity`: critical first), newest first among equals. */
const ORDER_BY: Record<NonNullable<AlertQuery['sort']>, string> = { id: 'id asc', '-id': 'id desc', severity: `${RANK} asc, id desc`, '-severity': `${RANK} desc, id desc` };

/**
 * Alerts of one page that the actor may see: its own roles' (managers and admins: all); an alert
 * of a plant only when the actor has no plant scope, or has that plant and no work-centre scope
 * (the rule the unpaged list applies after reading). `q` searches the ref, the message and the kind.
 */
export async function alertPage(q: Queryable, f: AlertQuery, actor: Pick<Actor, 'roles' | 'scope'>) {
  const seesAll = actor.roles.includes('manager') || actor.roles.includes('admin');
  const scope = scopeParams(actor);
  const rows = await q.query<AlertRow>(
    `select * from platform.alerts
      where ($1::boolean is null or (acknowledged_at is null) = $1) and ($2::text is null or role = $2) and ($3::text is null or kind = $3)
        and ($4::text is null or ref ilike $4 or message ilike $4 or kind ilike $4)
        and ($5::text[] is null or role = any($5))
        and (plant is null or $6::text[] is null or (plant = any($6) and $7::boolean))
      order by ${ORDER_BY[f.sort ?? '-id']} limit $8 offset $9`,
    [
      f.open === undefined ? null : f.open === 'true',
      f.role ?? null,
      f.kind ?? null,
      f.q ? containsPattern(f.q) : null,
      seesAll ? null : [...actor.roles],
      scope.plants,
      scope.workCenters === null,
      f.limit ?? 50,
      f.offset ?? 0,
    ],
  );
  return rows.map(alertView);
}
