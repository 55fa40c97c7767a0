import type { Session } from './session.ts';

/** The server's permissions (`GET /api/v1/auth/me`) decide what the web shows; the server still decides what it does. */
export function can(session: Pick<Session, 'permissions'> | null | undefined, permission: string): boolean {
  return !!session?.permissions?.includes(permission);
}

export type Screen = 'cockpit' | 'orders' | 'planner' | 'terminal' | 'quality' | 'inventory' | 'purchasing' | 'master' | 'trace' | 'integration' | 'alerts' | 'admin';
export const SCREENS: Screen[] = ['cockpit', 'orders', 'planner', 'master', 'purchasing', 'inventory', 'terminal', 'quality', 'trace', 'integration', 'alerts', 'admin'];

/** A screen shows when the user has any of its permissions (and its first read answers for them). */
const NEEDS: Record<Screen, string[]> = {
  cockpit: ['cockpit.read'],
  orders: ['erp.sales.read'],
  planner: ['planning.read'],
  terminal: ['mes.execute'],
  quality: ['mes.quality.write'],
  inventory: ['erp.inventory.read'],
  purchasing: ['erp.purchasing.read', 'erp.purchasing.receive', 'erp.inventory.write', 'mes.quality.write'],
  master: ['erp.master.read', 'mes.master.read'],
  trace: ['trace.read'],
  integration: ['integration.read'],
  alerts: ['alerts.read'],
  admin: ['users.manage', 'alerts.manage'],
};

export const mayUse = (session: Pick<Session, 'permissions'>, s: Screen) => NEEDS[s].some((p) => can(session, p));
export const screensFor = (session: Pick<Session, 'permissions'>) => SCREENS.filter((s) => mayUse(session, s));
