export const ALERT_KINDS = ['reorder', 'shortage', 'quality_hold', 'equipment_down', 'late_order', 'integration_failure', 'reconciliation', 'rule'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Who is told of each kind by default (governance can change it per kind: `PUT /api/v1/alerts/routing`). */
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
