import type { WorkCalendar } from '../../calendar.ts';

/** The parts of a compiled problem the assignment reads (and `mach`, which it writes). */
export interface AssignableProblem {
  n: number;
  machines: number;
  frozen: Uint8Array;
  mach: Int32Array;
  dur: Float64Array;
  calendars: WorkCalendar[];
  blocked: Float64Array[];
}

/**
 * Chooses the work centre of every operation that has alternatives, before sequencing: in the
 * compiled order (work orders as given, routing order inside), each goes where the load assigned so
 * far plus its own duration would finish first, on that centre's calendar and around its blocked
 * intervals (frozen operations, downtime). A centre that is down for a long time therefore loses its
 * work to an alternative; otherwise the load is balanced. Writes into `p.mach`.
 */
export function assignAlternatives(p: AssignableProblem, candidates: readonly (readonly number[] | null)[], horizon: number): void {
  if (!candidates.some((c) => c !== null)) return;
  const load = new Float64Array(p.machines);
  for (let i = 0; i < p.n; i++) if (!p.frozen[i] && candidates[i] === null) load[p.mach[i]] += p.dur[i];
  for (let i = 0; i < p.n; i++) {
    const options = candidates[i];
    if (!options) continue;
    let best = options[0];
    let bestEnd = Infinity;
    for (const m of options) {
      const end = finishAfterLoad(p, m, horizon, load[m] + p.dur[i]);
      if (end < bestEnd) {
        bestEnd = end;
        best = m;
      }
    }
    p.mach[i] = best;
    load[best] += p.dur[i];
  }
}

/** When `minutes` of work started at `from` would end on machine m, skipping its blocked intervals. */
function finishAfterLoad(p: AssignableProblem, m: number, from: number, minutes: number): number {
  const cal = p.calendars[m];
  let t: number;
  try {
    t = cal.nextWorkingTime(from);
  } catch {
    return Infinity; // no working time at all
  }
  let left = minutes;
  const blocked = p.blocked[m];
  for (let k = 0; k < blocked.length; k += 2) {
    const bs = blocked[k];
    const be = blocked[k + 1];
    if (be <= t) continue;
    const before = bs > t ? cal.workingMinutesBetween(t, bs) : 0;
    if (before >= left) break;
    left -= before;
    t = Math.max(t, be);
  }
  return cal.finishTime(t, left);
}
