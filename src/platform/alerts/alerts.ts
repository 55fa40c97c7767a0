import type { Queryable, UnitOfWork } from '../db/index.ts';
import { notFound, forbidden } from '../kernel/index.ts';

export const ALERT_KINDS = ['reorder', 'shortage', 'quality_hold', 'equipment_down', 'late_order', 'integration_failure', 'reconciliation', 'rule'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Who is told of each kind by default (governance can change it per kind in settings). */
export const DEFAULT_ALERT_ROLE: Record<AlertKind, string> = {
  reorder: 'purchaser',
  shortage: 'purchaser',
  quality_hold: 'inspector',
  equipment_down: 'supervisor',
  late_order: 'planner',
  integration_failure: 'admin',
  reconciliation: 'admin',
  rule: 'manager',
};

export interface NewAlert {
  kind: AlertKind;
  severity: 'info' | 'warning' | 'critical';
  ref: string;
  message: string;
  role?: string;
  plant?: string;
}

/** Raises an alert in the caller's unit of work; one open alert per kind and ref. */
export async function raiseAlert(uow: UnitOfWork | Queryable, a: NewAlert): Promise<number | null> {
  const rows = await uow.query<{ id: number }>(
    `insert into platform.alerts (kind, severity, ref, message, role, plant) values ($1, $2, $3, $4, $5, $6)
     on conflict (kind, ref) where acknowledged_at is null do nothing returning id`,
    [a.kind, a.severity, a.ref, a.message, a.role ?? DEFAULT_ALERT_ROLE[a.kind], a.plant ?? null],
  );
  const id = rows[0]?.id ?? null;
  if (id !== null && 'emit' in uow) uow.emit('platform.alert.raised', { id, ...a, role: a.role ?? DEFAULT_ALERT_ROLE[a.kind] }, { correlationId: null });
  return id;
}

export interface AlertView {
  id: number;
  kind: string;
  severity: string;
  ref: string;
  message: string;
  role: string;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export async function listAlerts(q: Queryable, f: { open?: boolean; role?: string; kind?: string } = {}): Promise<AlertView[]> {
  const rows = await q.query(
    `select * from platform.alerts
      where ($1::boolean is null or (acknowledged_at is null) = $1) and ($2::text is null or role = $2) and ($3::text is null or kind = $3)
      order by id desc limit 500`,
    [f.open ?? null, f.role ?? null, f.kind ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    severity: r.severity,
    ref: r.ref,
    message: r.message,
    role: r.role,
    createdAt: r.created_at.toISOString(),
    acknowledgedAt: r.acknowledged_at ? r.acknowledged_at.toISOString() : null,
    acknowledgedBy: r.acknowledged_by,
  }));
}

/** Acknowledged by someone of the alert's role (or an admin/manager); keeps the response time. */
export async function acknowledgeAlert(uow: UnitOfWork, id: number) {
  const [a] = await uow.query('select * from platform.alerts where id = $1 for update', [id]);
  if (!a) throw notFound('alert', id);
  const roles = uow.actor.roles;
  if (!roles.includes(a.role) && !roles.includes('admin') && !roles.includes('manager'))
    throw forbidden(`only the ${a.role} role acknowledges this alert`);
  if (!a.acknowledged_at) {
    await uow.query('update platform.alerts set acknowledged_at = now(), acknowledged_by = $2 where id = $1', [id, uow.actor.id]);
    uow.audit({ action: 'acknowledge', entity: 'alert', ref: String(id), before: { acknowledgedAt: null }, after: { acknowledgedBy: uow.actor.id } });
  }
  const [r] = await uow.query('select acknowledged_at from platform.alerts where id = $1', [id]);
  return { id, acknowledgedAt: r.acknowledged_at.toISOString() };
}
