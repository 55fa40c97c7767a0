import type { Queryable, UnitOfWork } from '../db/index.ts';
import { notFound, forbidden } from '../kernel/index.ts';
import { ALERT_KINDS, DEFAULT_ALERT_ROLE, type AlertKind } from './kinds.ts';
import { rulesMatching } from './rules.ts';
import type { AlertMessage, AlertParams } from './messages.ts';
import { alertView, type AlertRow } from './page.ts';
import { queueWebhooks } from './webhooks.ts';

export { ALERT_KINDS, DEFAULT_ALERT_ROLE, type AlertKind };

interface AlertFacts {
  kind: AlertKind;
  severity: 'info' | 'warning' | 'critical';
  ref: string;
  /** In English; always stored (outside programs read it), and what a screen shows without a key. */
  message: string;
  /** A suggestion; the routing configured for the kind wins (except for `rule` alerts, which go to their rule's role). */
  role?: string;
  plant?: string;
  /** The sales order (correlation) the alert belongs to; default: the unit of work's correlation. Rules join on it. */
  correlationId?: string | null;
}

/**
 * An alert to raise: with the key of its message's text and the values it fills in
 * (`ALERT_MESSAGES`: screens show it in the reader's language), or with the English message only.
 */
export type NewAlert = AlertFacts & (AlertMessage | { messageKey?: undefined; params?: undefined });

/** What `platform.alert.raised` carries and webhooks deliver. */
export interface RaisedAlert {
  id: number;
  kind: AlertKind;
  severity: NewAlert['severity'];
  ref: string;
  message: string;
  messageKey: string | null;
  params: AlertParams | null;
  role: string;
  plant?: string;
  correlationId: string | null;
}

const isUow = (q: UnitOfWork | Queryable): q is UnitOfWork => 'emit' in q;

/**
 * Raises an alert in the caller's unit of work; one open alert per kind and ref (a repeat while
 * one is open returns null). Routed to its kind's role, announced on the bus
 * (`platform.alert.raised`, the live stream), queued for webhooks, and the alert rules that name
 * its kind are evaluated for its correlation.
 */
export async function raiseAlert(uow: UnitOfWork | Queryable, a: NewAlert): Promise<number | null> {
  const correlationId = a.correlationId !== undefined ? a.correlationId : isUow(uow) ? uow.correlationId : null;
  const rows = await uow.query<{ id: number; role: string }>(
    `insert into platform.alerts (kind, severity, ref, message, role, plant, correlation_id, message_key, message_params)
     values ($1::text, $2, $3, $4,
       case when $1::text = 'rule' and $5::text is not null then $5::text
            else coalesce((select role from platform.alert_routing where kind = $1::text), $5::text, $8::text) end,
       $6, $7, $9, $10::jsonb)
     on conflict (kind, ref) where acknowledged_at is null do nothing returning id, role`,
    [a.kind, a.severity, a.ref, a.message, a.role ?? null, a.plant ?? null, correlationId, DEFAULT_ALERT_ROLE[a.kind],
      a.messageKey ?? null, a.params ? JSON.stringify(a.params) : null],
  );
  if (!rows.length) return null;
  const id = Number(rows[0].id);
  const raised: RaisedAlert = { id, ...a, messageKey: a.messageKey ?? null, params: a.params ?? null, role: rows[0].role, correlationId };
  if (isUow(uow)) uow.emit('platform.alert.raised', raised, { correlationId: null });
  await queueWebhooks(uow, 'alert.raised', a.kind, raised);
  if (a.kind !== 'rule' && correlationId) await evaluateRules(uow, correlationId);
  return id;
}

/**
 * Raises a `rule` alert for each enabled rule that matches the correlation now (see
 * `rulesMatching`). Called by `raiseAlert`; modules may call it when a fact changes. Returns the
 * ids of the alerts raised.
 */
export async function evaluateRules(uow: UnitOfWork | Queryable, correlationId: string, trigger?: string): Promise<number[]> {
  const raised: number[] = [];
  for (const match of await rulesMatching(uow, correlationId, trigger)) {
    const id = await raiseAlert(uow, { kind: 'rule', ...match });
    if (id !== null) raised.push(id);
  }
  return raised;
}

export interface AlertView {
  id: number;
  kind: string;
  severity: string;
  ref: string;
  message: string;
  /** The key of the message's text (`ALERT_MESSAGES`), null when the alert has only its English message. */
  messageKey: string | null;
  /** The values the key's text fills in. */
  params: AlertParams | null;
  role: string;
  plant: string | null;
  correlationId: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** Minutes from raising to acknowledgement (null while open). */
  responseMinutes: number | null;
}

export async function listAlerts(q: Queryable, f: { open?: boolean; role?: string; kind?: string } = {}): Promise<AlertView[]> {
  const rows = await q.query<AlertRow>(
    `select * from platform.alerts
      where ($1::boolean is null or (acknowledged_at is null) = $1) and ($2::text is null or role = $2) and ($3::text is null or kind = $3)
      order by id desc limit 500`,
    [f.open ?? null, f.role ?? null, f.kind ?? null],
  );
  return rows.map(alertView);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Acknowledged by someone of the alert's role (or an admin/manager); keeps the response time. */
export async function acknowledgeAlert(uow: UnitOfWork, id: number) {
  const [a] = await uow.query<AlertRow>('select * from platform.alerts where id = $1 for update', [id]);
  if (!a) throw notFound('alert', id);
  const roles = uow.actor.roles;
  if (!roles.includes(a.role) && !roles.includes('admin') && !roles.includes('manager'))
    throw forbidden(`only the ${a.role} role acknowledges this alert`, { role: a.role });
  if (!a.acknowledged_at) {
    await uow.query('update platform.alerts set acknowledged_at = now(), acknowledged_by = $2 where id = $1', [id, uow.actor.id]);
    uow.audit({ action: 'acknowledge', entity: 'alert', ref: String(id), before: { acknowledgedAt: null }, after: { acknowledgedBy: uow.actor.id } });
  }
  // acknowledged now or before: acknowledged_at and acknowledged_by are set
  const [r] = await uow.query<{ created_at: Date; acknowledged_at: Date; acknowledged_by: string }>(
    'select created_at, acknowledged_at, acknowledged_by from platform.alerts where id = $1',
    [id],
  );
  return {
    id,
    acknowledgedAt: r.acknowledged_at.toISOString(),
    acknowledgedBy: r.acknowledged_by,
    responseMinutes: round2((r.acknowledged_at.getTime() - r.created_at.getTime()) / 60_000),
  };
}

/**
 * The "abnormal response time" KPI: mean minutes from raising to acknowledgement of the alerts
 * raised in [from, to) and acknowledged (optionally of one plant). Null when none was acknowledged.
 */
export async function meanAlertResponseMinutes(q: Queryable, f: { from?: Date | string; to?: Date | string; plant?: string } = {}): Promise<number | null> {
  const [r] = await q.query<{ m: number | null }>(
    `select (avg(extract(epoch from acknowledged_at - created_at)) / 60)::float8 as m from platform.alerts
      where acknowledged_at is not null and ($1::timestamptz is null or created_at >= $1) and ($2::timestamptz is null or created_at < $2)
        and ($3::text is null or plant = $3)`,
    [f.from ?? null, f.to ?? null, f.plant ?? null],
  );
  return r.m === null ? null : round2(r.m);
}
