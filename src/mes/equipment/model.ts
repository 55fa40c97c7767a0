/** Equipment states and OEE arithmetic (pure). */
export type EquipmentState = 'running' | 'idle' | 'down';

export interface StateEvent {
  state: EquipmentState;
  at: Date;
}

/**
 * Minutes in each state within [from, to): each event lasts until the next one; the state at
 * `from` is that of the last event before it (none known = no time counted).
 */
export function stateMinutes(events: StateEvent[], from: Date, to: Date): Record<EquipmentState, number> {
  const out: Record<EquipmentState, number> = { running: 0, idle: 0, down: 0 };
  const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (let i = 0; i < sorted.length; i++) {
    const start = Math.max(sorted[i].at.getTime(), from.getTime());
    const end = Math.min(i + 1 < sorted.length ? sorted[i + 1].at.getTime() : to.getTime(), to.getTime());
    if (end > start) out[sorted[i].state] += (end - start) / 60_000;
  }
  return out;
}

export interface OeeFacts {
  runningMinutes: number;
  downMinutes: number;
  /** Σ ideal minutes per unit × pieces counted (good + scrap). */
  idealMinutes: number;
  goodQty: number;
  scrapQty: number;
}

const r4 = (n: number) => Math.round(n * 10000) / 10000;

/** availability = running / (running + down); performance = ideal / running; quality = good / (good + scrap). */
export function oee(f: OeeFacts) {
  const availability = f.runningMinutes + f.downMinutes > 0 ? f.runningMinutes / (f.runningMinutes + f.downMinutes) : 0;
  const performance = f.runningMinutes > 0 ? f.idealMinutes / f.runningMinutes : 0;
  const pieces = f.goodQty + f.scrapQty;
  const quality = pieces > 0 ? f.goodQty / pieces : 0;
  return { availability: r4(availability), performance: r4(performance), quality: r4(quality), oee: r4(availability * performance * quality) };
}
