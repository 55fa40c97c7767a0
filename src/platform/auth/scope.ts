import type { Actor, Scope } from '../db/index.ts';
import { forbidden } from '../kernel/index.ts';

/**
 * Where a thing is on the shop floor: the plant and the work centre it belongs to, or the work
 * centres it spans (a work order: inside a work-centre scope when any of them is).
 */
export interface ScopeTarget {
  plant?: string | null;
  workCenter?: string | null;
  workCenters?: readonly string[];
}

const restricted = (xs: readonly string[] | undefined): xs is readonly string[] => Array.isArray(xs) && xs.length > 0;

/** True when the actor has no data scope (absent or empty lists): it sees everything. */
export function isUnscoped(actor: Pick<Actor, 'scope'>): boolean {
  return !restricted(actor.scope?.plants) && !restricted(actor.scope?.workCenters);
}

/**
 * The one data-scope rule (MES, alerts, exports and the live stream all ask it). Each restricted
 * dimension (plants, work centres) must be satisfied: a scoped actor sees a thing only when the
 * thing names a value in the list. A thing that does not say its plant is outside a plant scope;
 * one that does not say its work centre is outside a work-centre scope.
 */
export function inScope(actor: Pick<Actor, 'scope'>, target: ScopeTarget): boolean {
  const s: Scope = actor.scope ?? {};
  if (restricted(s.plants) && !(target.plant != null && s.plants.includes(target.plant))) return false;
  if (restricted(s.workCenters)) {
    const centres = [...(target.workCenters ?? []), ...(target.workCenter != null ? [target.workCenter] : [])];
    if (!centres.some((c) => s.workCenters!.includes(c))) return false;
  }
  return true;
}

/** Throws 403 (forbidden) when the thing is outside the actor's data scope. */
export function assertInScope(actor: Pick<Actor, 'scope'>, target: ScopeTarget, what = 'this'): void {
  if (!inScope(actor, target))
    throw forbidden(`${what} is outside your data scope`, {
      scope: actor.scope ?? {},
      ...(target.plant != null ? { plant: target.plant } : {}),
      ...(target.workCenter != null ? { workCenter: target.workCenter } : {}),
    });
}

/** A data scope as lists: each null (no restriction) or the allowed values. */
export interface ScopeLists {
  plants: string[] | null;
  workCenters: string[] | null;
}

/**
 * SQL parameters for filtering lists by scope: each is null (no restriction) or the allowed
 * values, for `($1::text[] is null or plant = any($1)) and ($2::text[] is null or work_center = any($2))`.
 */
export function scopeParams(actor: Pick<Actor, 'scope'>): ScopeLists {
  const s = actor.scope ?? {};
  return {
    plants: restricted(s.plants) ? [...s.plants] : null,
    workCenters: restricted(s.workCenters) ? [...s.workCenters] : null,
  };
}

/** Keeps the items inside the actor's scope (lists built in memory). */
export function filterInScope<T>(actor: Pick<Actor, 'scope'>, items: readonly T[], where: (item: T) => ScopeTarget): T[] {
  if (isUnscoped(actor)) return [...items];
  return items.filter((i) => inScope(actor, where(i)));
}

/** True when the lists restrict nothing. */
export const unrestricted = (s: ScopeLists): boolean => s.plants === null && s.workCenters === null;

/** `inScope` for a scope already turned into lists (list filters in stores). */
export function listsAdmit(s: ScopeLists, target: ScopeTarget): boolean {
  return inScope({ scope: { ...(s.plants && { plants: s.plants }), ...(s.workCenters && { workCenters: s.workCenters }) } }, target);
}
