import type { Actor } from '../../platform/index.ts';
import { forbidden } from '../../platform/index.ts';

/** The work centres and plants an actor is limited to (empty or absent = everything). */
export interface MesScope {
  workCenters: string[] | null;
  plants: string[] | null;
}

export function scopeOf(actor: Actor): MesScope {
  const wc = actor.scope?.workCenters;
  const pl = actor.scope?.plants;
  return { workCenters: wc && wc.length ? wc : null, plants: pl && pl.length ? pl : null };
}

export const unlimited = (s: MesScope) => s.workCenters === null && s.plants === null;

export function inScope(s: MesScope, workCenter: string | null, plant: string | null): boolean {
  if (s.workCenters && (!workCenter || !s.workCenters.includes(workCenter))) return false;
  if (s.plants && (!plant || !s.plants.includes(plant))) return false;
  return true;
}

export function assertInScope(actor: Actor, workCenter: string | null, plant: string | null, what: string) {
  if (!inScope(scopeOf(actor), workCenter, plant))
    throw forbidden(`${what} is outside your data scope`, { workCenter, plant });
}
