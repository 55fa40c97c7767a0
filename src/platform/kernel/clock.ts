/** The clock is passed in, so pure code and tests control time. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** `YYYY-MM-DD` of an instant in UTC. */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The next instant after `now` at which the plant's clock (UTC + `utcOffsetMinutes`) shows `hhmm`. */
export function nextDailyAt(now: Date, hhmm: string, utcOffsetMinutes: number): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const local = now.getTime() + utcOffsetMinutes * 60_000;
  let at = Math.floor(local / 86_400_000) * 86_400_000 + (h * 60 + m) * 60_000;
  if (at <= local) at += 86_400_000;
  return new Date(at - utcOffsetMinutes * 60_000);
}
