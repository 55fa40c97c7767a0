/**
 * The alert messages raised by the modules, by key, with the names of the values each one fills
 * in. Every alert still stores its English `message`; the key and its values let a screen show the
 * message in the reader's language (the web: `alertMessage` in web/src/locales.ts, en and zh-CN,
 * falling back to the English message for an alert without a key or a key it has no text for).
 * A new key needs its text in both languages there (a test checks it).
 */
export const ALERT_MESSAGES = {
  /** available + on order fell below the reorder point: a requisition was raised */
  'alert.reorder_point': ['item', 'available', 'onOrder', 'reorderPoint', 'requisition', 'qty'],
  /** MRP: a purchase that should already have been ordered to arrive in time */
  'alert.shortage': ['item', 'qty', 'needDate', 'orderBy', 'peggedTo'],
  /** the plan ends a sales order line after its due date */
  'alert.late_order': ['salesOrder', 'line', 'item', 'plannedEnd', 'dueDate'],
  'alert.equipment_down': ['workCenter'],
  'alert.equipment_down_reason': ['workCenter', 'reason'],
  /** a failed inspection of a work order without a lot */
  'alert.inspection_failed': ['inspection', 'workOrder'],
  'alert.inspection_failed_note': ['inspection', 'workOrder', 'note'],
  /** a failed inspection put the lot on hold */
  'alert.quality_hold': ['inspection', 'workOrder', 'lot'],
  'alert.quality_hold_note': ['inspection', 'workOrder', 'lot', 'note'],
  'alert.routing_missing': ['item'],
  /** a bus message kept failing and went to dead letters */
  'alert.integration_failure': ['type', 'consumer', 'reason'],
  /** `subject` is the kind of discrepancy (order_qty, produced, lot_status, …); erp and mes are JSON */
  'alert.reconciliation': ['subject', 'ref', 'erp', 'mes'],
  /** a rule without its own message: every kind of `kinds` is open for the sales order */
  'alert.rule_matched': ['rule', 'kinds', 'salesOrder'],
} as const satisfies Record<string, readonly string[]>;

export type AlertMessageKey = keyof typeof ALERT_MESSAGES;

/** The values of a message: flat, strings and numbers. */
export type AlertParams = Record<string, string | number>;

/** A key with exactly the values its text names. */
export type AlertMessage = {
  [K in AlertMessageKey]: { messageKey: K; params: Record<(typeof ALERT_MESSAGES)[K][number], string | number> };
}[AlertMessageKey];
