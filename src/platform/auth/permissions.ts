/**
 * The permission matrix: the one place that says which role may do what (docs/permissions.md is
 * generated from it by `renderPermissionsDoc`; a test fails when the doc is stale). Every route
 * names one permission; a test walks the route table × every role against it.
 */
export const PERMISSION_DESCRIPTIONS = {
  'auth.self': 'refresh, sign out, change own password',
  'users.manage': 'create, change and disable users; create, list and revoke machine accounts (API keys)',
  'erp.master.read': 'read items, BOMs, customers, suppliers',
  'erp.master.write': 'create and change items, BOMs, customers, suppliers; their imports',
  'erp.inventory.read': 'read stock and lots',
  'erp.inventory.write': 'receive stock; import opening stock',
  'erp.sales.read': 'read sales orders, their change impact',
  'erp.sales.write': 'create, approve, change and cancel sales orders',
  'erp.sales.ship': 'ship sales orders',
  'erp.purchasing.read': 'read purchase requisitions and orders',
  'erp.purchasing.write': 'create and change purchase requisitions and orders',
  'erp.purchasing.receive': 'receive goods against a purchase order (lot, warehouse, unit)',
  'erp.cost.read': 'read standard and actual cost',
  'mes.master.read': 'read work centres and routings',
  'mes.master.write': 'create and change work centres and routings',
  'mes.workorders.read': 'read work orders and operations (within the data scope)',
  'mes.execute': 'start and report operations, consume material (within the data scope)',
  'mes.quality.write': 'record inspections, disposition lots',
  'mes.equipment.write': 'report equipment state (within the data scope)',
  'trace.read': 'lot genealogy',
  'planning.read': 'read the schedule, capable-to-promise',
  'planning.write': 'reschedule work orders',
  'planning.mrp': 'run MRP',
  'integration.read': 'message trace, dead letters, B2MML documents',
  'integration.write': 'replay dead letters, reconcile, accept B2MML',
  'collect.ingest': 'send shop-floor data (batch ingest)',
  'collect.read': 'read ingest statistics and telemetry',
  'cockpit.read': 'the cockpit KPIs',
  'events.read': 'the live event stream',
  'alerts.read': "read alerts (one's own role's; managers and admins all), rules and routing",
  'alerts.ack': "acknowledge alerts routed to one's role",
  'alerts.manage': 'route alert kinds to roles, configure rules and webhooks',
  'audit.read': 'read the audit log',
} as const;

export type Permission = keyof typeof PERMISSION_DESCRIPTIONS;
export const PERMISSIONS = Object.keys(PERMISSION_DESCRIPTIONS) as Permission[];

export const ROLE_DESCRIPTIONS = {
  admin: 'everything, including users and governance settings',
  manager: 'reads everything, the cockpit and the audit log',
  planner: 'sales orders, items and BOMs, routings and work centres (process planning), planning (MRP, schedule)',
  purchaser: 'purchasing (requisitions, orders and receipts against them), stock and MRP',
  warehouse: 'stock receipts (against the purchase orders it reads) and shipping',
  finance: 'cost, stock value, orders (read)',
  supervisor: 'work orders, work centres and routings, the schedule, execution in scope',
  operator: 'executes operations and reports equipment in scope',
  inspector: 'quality: inspections and lot disposition',
  integration: 'connectors: ingest and integration routes only',
  device: 'shop-floor data only (MQTT, batch ingest, equipment events), within its data scope; the default of a new API key',
} as const;

export type Role = keyof typeof ROLE_DESCRIPTIONS;
export const ROLES = Object.keys(ROLE_DESCRIPTIONS) as [Role, ...Role[]];

const reads = PERMISSIONS.filter((p) => p.endsWith('.read'));
/** What every person at a screen has: their session, alerts of their role, the live stream. */
const person: Permission[] = ['auth.self', 'events.read', 'alerts.read', 'alerts.ack'];
const office: Permission[] = [...person, 'cockpit.read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  manager: [...new Set<Permission>([...reads, ...office])],
  planner: [
    ...office,
    'erp.master.read',
    'erp.master.write',
    'erp.inventory.read',
    'erp.sales.read',
    'erp.sales.write',
    'erp.purchasing.read',
    'mes.master.read',
    'mes.master.write',
    'mes.workorders.read',
    'planning.read',
    'planning.write',
    'planning.mrp',
    'trace.read',
    'integration.read',
  ],
  purchaser: [
    ...office,
    'erp.master.read',
    'erp.inventory.read',
    'erp.sales.read',
    'erp.purchasing.read',
    'erp.purchasing.write',
    'erp.purchasing.receive',
    'mes.workorders.read',
    'planning.read',
    'planning.mrp',
  ],
  warehouse: [...office, 'erp.master.read', 'erp.inventory.read', 'erp.inventory.write', 'erp.sales.read', 'erp.sales.ship', 'erp.purchasing.read', 'erp.purchasing.receive', 'trace.read'],
  finance: [...office, 'erp.master.read', 'erp.inventory.read', 'erp.sales.read', 'erp.purchasing.read', 'erp.cost.read'],
  supervisor: [
    ...office,
    'mes.master.read',
    'mes.master.write',
    'mes.workorders.read',
    'mes.execute',
    'mes.equipment.write',
    'planning.read',
    'planning.write',
    'trace.read',
    'collect.read',
  ],
  operator: [...person, 'mes.master.read', 'mes.workorders.read', 'mes.execute', 'mes.equipment.write'],
  inspector: [...person, 'mes.master.read', 'mes.workorders.read', 'mes.quality.write', 'trace.read', 'erp.inventory.read'],
  integration: ['auth.self', 'collect.ingest', 'collect.read', 'integration.read', 'integration.write'],
  device: ['collect.ingest', 'mes.equipment.write'],
};

export function can(roles: readonly string[], permission: Permission): boolean {
  return roles.some((r) => (ROLE_PERMISSIONS as Record<string, readonly Permission[]>)[r]?.includes(permission));
}

export const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/** docs/permissions.md, generated from the matrix above. */
export function renderPermissionsDoc(): string {
  const lines = [
    '# Permissions',
    '',
    '<!-- Generated from src/platform/auth/permissions.ts by `renderPermissionsDoc()`; test/governance-matrix.test.ts',
    '     fails when this file is stale (UPDATE_DOCS=1 npx vitest run test/governance-matrix rewrites it). -->',
    '',
    'Every `/api/v1` route declares one permission (see `GET /openapi.json` for the routes). A user may hold',
    'several roles and has the union of their permissions. A **data scope** (`scope: {plants?, workCenters?}`',
    'on the user or machine account) further limits operations, work orders and equipment to those plants',
    'and work centres: 403 outside it, lists filtered. An empty or absent scope means everything.',
    '',
    'Machine accounts are API keys (`POST /api/v1/api-keys`); a new key has role `device` unless told otherwise.',
    '`DELETE /api/v1/api-keys/:id` revokes a key (its next call answers 401). An admin changes a user\'s roles,',
    'scope or disabled flag with `PATCH /api/v1/users/:username`; it applies on the user\'s next request (a',
    'disabled user\'s tokens answer 401). The live stream (`GET /api/v1/events`) sends each reader only the events',
    'its permissions and scope cover. See SECURITY.md for the threat model.',
    '',
    '## Roles',
    '',
    '| role | for |',
    '|---|---|',
    ...ROLES.map((r) => `| \`${r}\` | ${ROLE_DESCRIPTIONS[r]} |`),
    '',
    '## Matrix',
    '',
    `| permission | ${ROLES.join(' | ')} | what it allows |`,
    `|---|${ROLES.map(() => ':-:').join('|')}|---|`,
    ...PERMISSIONS.map((p) => `| \`${p}\` | ${ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? '✔' : '')).join(' | ')} | ${PERMISSION_DESCRIPTIONS[p]} |`),
    '',
  ];
  return lines.join('\n');
}
