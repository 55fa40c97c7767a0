/** The clock is passed in, so pure code and tests control time. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** `YYYY-MM-DD` of an instant in UTC. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
