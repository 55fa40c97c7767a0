import type { Queryable, UnitOfWork } from '../db/index.ts';
import { unprocessable, notFound } from '../kernel/index.ts';
import type { AlertKind } from './kinds.ts';

/**
 * Rules across ERP and MES, kept as data: "when alerts of every one of these kinds are open for
 * the same correlation (sales order) — and, optionally, a fact about that correlation passes a
 * threshold — raise a `rule` alert to this role". E.g. late_order + shortage → purchaser.
 */
export interface FactCondition {
  name: string;
  op: '<' | '<=' | '>' | '>=' | '=';
  value: number;
}

export interface NewRule {
  name: string;
  kinds: AlertKind[];
  fact?: FactCondition;
  role: string;
  severity?: 'info' | 'warning' | 'critical';
  message?: string;
  enabled?: boolean;
}

export interface RuleView extends Required<Omit<NewRule, 'fact' | 'message'>> {
  id: number;
  fact: FactCondition | null;
  message: string | null;
  createdAt: string;
}

/** A row of platform.alert_rules (the check constraint keeps severity to the three values). */
interface AlertRuleRow {
  id: number;
  name: string;
  kinds: AlertKind[];
  fact: FactCondition | null;
  role: string;
  severity: RuleView['severity'];
  message: string | null;
  enabled: boolean;
  created_at: Date;
  created_by: string | null;
}

/** A number about a correlation (sales order), or null when it does not apply. */
export type FactFunction = (q: Queryable, ctx: { correlationId: string }) => Promise<number | null>;

const facts = new Map<string, FactFunction>();

/** Modules register the facts rules may test (e.g. the cockpit: `oee` of the order's work centres). */
export function registerFact(name: string, fn: FactFunction) {
  facts.set(name, fn);
}
export const factNames = () => [...facts.keys()].sort();

registerFact('openAlerts', async (q, { correlationId }) => {
  const [r] = await q.query<{ n: number }>(
    `select count(*)::int as n from platform.alerts where correlation_id = $1 and acknowledged_at is null and kind <> 'rule'`,
    [correlationId],
  );
  return r.n;
});
registerFact('oldestOpenAlertMinutes', async (q, { correlationId }) => {
  const [r] = await q.query<{ m: number | null }>(
    `select (extract(epoch from now() - min(created_at)) / 60)::float8 as m from platform.alerts
      where correlation_id = $1 and acknowledged_at is null and kind <> 'rule'`,
    [correlationId],
  );
  return r.m;
});

const compare = (x: number, c: FactCondition) =>
  c.op === '<' ? x < c.value : c.op === '<=' ? x <= c.value : c.op === '>' ? x > c.value : c.op === '>=' ? x >= c.value : x === c.value;

export async function createRule(uow: UnitOfWork, r: NewRule): Promise<RuleView> {
  if (r.kinds.includes('rule' as AlertKind)) throw unprocessable('a rule cannot wait for rule alerts', { kinds: r.kinds });
  if (r.fact && !facts.has(r.fact.name)) throw unprocessable(`unknown fact ${r.fact.name}`, { fact: r.fact.name, known: factNames() });
  const [row] = await uow.query<AlertRuleRow>(
    `insert into platform.alert_rules (name, kinds, fact, role, severity, message, enabled, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`,
    [r.name, [...new Set(r.kinds)], r.fact ? JSON.stringify(r.fact) : null, r.role, r.severity ?? 'warning', r.message ?? null, r.enabled ?? true, uow.actor.id],
  );
  const view = toView(row);
  uow.audit({ action: 'create', entity: 'alert_rule', ref: String(view.id), after: view });
  return view;
}

export async function listRules(q: Queryable): Promise<RuleView[]> {
  return (await q.query<AlertRuleRow>('select * from platform.alert_rules order by id')).map(toView);
}

export async function deleteRule(uow: UnitOfWork, id: number) {
  const [row] = await uow.query<AlertRuleRow>('delete from platform.alert_rules where id = $1 returning *', [id]);
  if (!row) throw notFound('alert rule', id);
  uow.audit({ action: 'delete', entity: 'alert_rule', ref: String(id), before: toView(row) });
  return { id, deleted: true };
}

function toView(r: AlertRuleRow): RuleView {
  return {
    id: Number(r.id),
    name: r.name,
    kinds: r.kinds,
    fact: r.fact ?? null,
    role: r.role,
    severity: r.severity,
    message: r.message,
    enabled: r.enabled,
    createdAt: r.created_at.toISOString(),
  };
}

/** A rule alert to raise: what `rulesMatching` finds. */
export type RuleMatch = {
  severity: 'info' | 'warning' | 'critical';
  ref: string;
  message: string;
  role: string;
  correlationId: string;
} & (
  | { messageKey: 'alert.rule_matched'; params: { rule: string; kinds: string; salesOrder: string } }
  | { messageKey?: undefined; params?: undefined } // the rule's own message: a user's text, nothing to translate
);

/**
 * The enabled rules that match one correlation now (those naming `trigger`, or all): all their
 * kinds are open there, and their fact (if any) holds. Each gives one `rule` alert
 * (ref `rule:{id}:{correlation}`: one open at a time); `evaluateRules` in alerts.ts raises them.
 */
export async function rulesMatching(q: Queryable, correlationId: string, trigger?: string): Promise<RuleMatch[]> {
  const rules = await q.query<AlertRuleRow>(`select * from platform.alert_rules where enabled and ($1::text is null or $1::text = any(kinds))`, [trigger ?? null]);
  if (!rules.length) return [];
  const open = new Set(
    (
      await q.query<{ kind: string }>(`select distinct kind from platform.alerts where correlation_id = $1 and acknowledged_at is null`, [correlationId])
    ).map((r) => r.kind),
  );
  const matches: RuleMatch[] = [];
  for (const rule of rules.map(toView)) {
    if (!rule.kinds.every((k) => open.has(k))) continue;
    if (rule.fact) {
      const fn = facts.get(rule.fact.name);
      const value = fn ? await fn(q, { correlationId }) : null;
      if (value === null || !compare(value, rule.fact)) continue;
    }
    matches.push({
      severity: rule.severity,
      ref: `rule:${rule.id}:${correlationId}`,
      ...(rule.message !== null
        ? { message: rule.message }
        : {
            message: `${rule.name}: ${rule.kinds.join(' + ')} open for ${correlationId}`,
            messageKey: 'alert.rule_matched' as const,
            params: { rule: rule.name, kinds: rule.kinds.join(' + '), salesOrder: correlationId },
          }),
      role: rule.role,
      correlationId,
    });
  }
  return matches;
}
