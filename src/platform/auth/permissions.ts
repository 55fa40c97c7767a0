/**
 * The permission matrix: the one place that says which role may do what (docs/permissions.md is
 * generated from it). Every route names one permission; a test walks the route table against it.
 */
export const PERMISSIONS = [
  'users.manage',
  'erp.master.read',
  'erp.master.write',
  'erp.inventory.read',
  'erp.inventory.write',
  'erp.sales.read',
  'erp.sales.write',
  'erp.sales.ship',
  'erp.purchasing.read',
  'erp.purchasing.write',
  'erp.cost.read',
  'mes.master.read',
  'mes.master.write',
  'mes.workorders.read',
  'mes.execute',
  'mes.quality.write',
  'mes.equipment.write',
  'trace.read',
  'planning.read',
  'planning.write',
  'planning.mrp',
  'integration.read',
  'integration.write',
  'collect.ingest',
  'collect.read',
  'cockpit.read',
  'events.read',
  'alerts.read',
  'alerts.ack',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = [
  'admin',
  'manager',
  'planner',
  'purchaser',
  'warehouse',
  'finance',
  'supervisor',
  'operator',
  'inspector',
  'integration',
] as const;
export type Role = (typeof ROLES)[number];

const reads = PERMISSIONS.filter((p) => p.endsWith('.read'));
const common: Permission[] = ['cockpit.read', 'events.read', 'alerts.read', 'alerts.ack'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: [...reads, ...common],
  planner: [
    ...common,
    'erp.master.read',
    'erp.inventory.read',
    'erp.sales.read',
    'erp.sales.write',
    'erp.purchasing.read',
    'mes.master.read',
    'mes.workorders.read',
    'planning.read',
    'planning.write',
    'planning.mrp',
    'trace.read',
    'integration.read',
  ],
  purchaser: [
    ...common,
    'erp.master.read',
    'erp.inventory.read',
    'erp.purchasing.read',
    'erp.purchasing.write',
    'planning.read',
    'planning.mrp',
  ],
  warehouse: [
    ...common,
    'erp.master.read',
    'erp.master.write',
    'erp.inventory.read',
    'erp.inventory.write',
    'erp.sales.read',
    'erp.sales.ship',
    'trace.read',
  ],
  finance: [...common, 'erp.master.read', 'erp.inventory.read', 'erp.sales.read', 'erp.cost.read', 'erp.purchasing.read'],
  supervisor: [
    ...common,
    'mes.master.read',
    'mes.master.write',
    'mes.workorders.read',
    'mes.execute',
    'mes.quality.write',
    'mes.equipment.write',
    'planning.read',
    'planning.write',
    'trace.read',
    'collect.read',
  ],
  operator: ['events.read', 'alerts.read', 'mes.master.read', 'mes.workorders.read', 'mes.execute', 'mes.equipment.write'],
  inspector: [
    'events.read',
    'alerts.read',
    'alerts.ack',
    'mes.workorders.read',
    'mes.quality.write',
    'trace.read',
    'erp.inventory.read',
  ],
  integration: ['collect.ingest', 'collect.read', 'integration.read', 'integration.write', 'mes.workorders.read'],
};

export function can(roles: readonly string[], permission: Permission): boolean {
  return roles.some((r) => (ROLE_PERMISSIONS as Record<string, readonly Permission[]>)[r]?.includes(permission));
}

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);
