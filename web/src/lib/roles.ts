/**
 * What a role may do: a copy of the server's permission matrix (src/platform/auth/permissions.ts),
 * used only to decide which screens, buttons and requests to show. The server still decides.
 */
type Permission =
  | 'erp.master.read' | 'erp.master.write' | 'erp.inventory.read' | 'erp.inventory.write' | 'erp.sales.read' | 'erp.sales.write'
  | 'erp.sales.ship' | 'erp.purchasing.read' | 'erp.cost.read' | 'mes.master.read' | 'mes.master.write' | 'mes.workorders.read'
  | 'mes.execute' | 'mes.quality.write' | 'mes.equipment.write' | 'trace.read' | 'planning.read' | 'planning.write'
  | 'integration.read' | 'integration.write' | 'cockpit.read' | 'events.read' | 'alerts.read' | 'alerts.ack' | 'collect.read';

const reads: Permission[] = [
  'erp.master.read', 'erp.inventory.read', 'erp.sales.read', 'erp.purchasing.read', 'erp.cost.read', 'mes.master.read',
  'mes.workorders.read', 'trace.read', 'planning.read', 'integration.read', 'cockpit.read', 'events.read', 'alerts.read', 'collect.read',
];
const common: Permission[] = ['cockpit.read', 'events.read', 'alerts.read', 'alerts.ack'];

const ROLE_PERMISSIONS: Record<string, readonly Permission[]> = {
  manager: [...reads, ...common],
  planner: [...common, 'erp.master.read', 'erp.inventory.read', 'erp.sales.read', 'erp.sales.write', 'erp.purchasing.read', 'mes.master.read',
    'mes.workorders.read', 'planning.read', 'planning.write', 'trace.read', 'integration.read'],
  purchaser: [...common, 'erp.master.read', 'erp.inventory.read', 'erp.purchasing.read', 'planning.read'],
  warehouse: [...common, 'erp.master.read', 'erp.master.write', 'erp.inventory.read', 'erp.inventory.write', 'erp.sales.read', 'erp.sales.ship', 'trace.read'],
  finance: [...common, 'erp.master.read', 'erp.inventory.read', 'erp.sales.read', 'erp.cost.read', 'erp.purchasing.read'],
  supervisor: [...common, 'mes.master.read', 'mes.master.write', 'mes.workorders.read', 'mes.execute', 'mes.quality.write', 'mes.equipment.write',
    'planning.read', 'planning.write', 'trace.read', 'collect.read'],
  operator: ['events.read', 'alerts.read', 'mes.master.read', 'mes.workorders.read', 'mes.execute', 'mes.equipment.write'],
  inspector: ['events.read', 'alerts.read', 'alerts.ack', 'mes.workorders.read', 'mes.quality.write', 'trace.read', 'erp.inventory.read'],
  integration: ['collect.read', 'integration.read', 'integration.write', 'mes.workorders.read'],
};

export function can(roles: readonly string[], p: Permission): boolean {
  return roles.some((r) => r === 'admin' || ROLE_PERMISSIONS[r]?.includes(p));
}

export type Screen = 'cockpit' | 'orders' | 'planner' | 'terminal' | 'quality' | 'inventory' | 'integration' | 'alerts';
export const SCREENS: Screen[] = ['cockpit', 'orders', 'planner', 'terminal', 'quality', 'inventory', 'integration', 'alerts'];

const NEEDS: Record<Screen, Permission> = {
  cockpit: 'cockpit.read',
  orders: 'erp.sales.read',
  planner: 'planning.read',
  terminal: 'mes.execute',
  quality: 'mes.quality.write',
  inventory: 'erp.inventory.read',
  integration: 'integration.read',
  alerts: 'alerts.read',
};

export const mayUse = (roles: readonly string[], s: Screen) => can(roles, NEEDS[s]);
export const screensFor = (roles: readonly string[]) => SCREENS.filter((s) => mayUse(roles, s));
