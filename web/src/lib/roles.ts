import { mayNow } from './permissions.ts';

/**
 * @deprecated use `can(session, permission)` of ./permissions.ts. Kept for screens not yet moved:
 * answers from the permissions the server gave the signed-in user (no copy of the matrix here).
 */
export function can(_roles: readonly string[], permission: string): boolean {
  return mayNow(permission);
}
