/** Periods of the cockpit filters, as `from`/`to` instants (ISO-8601, UTC). */
export type Period = 'today' | '7d' | '30d' | '90d';
export const PERIODS: Period[] = ['today', '7d', '30d', '90d'];
const DAY = 86_400_000;

export function periodRange(p: Period, now = new Date()): { from: string; to: string; days: number } {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY);
  const days = p === 'today' ? 1 : p === '7d' ? 7 : p === '30d' ? 30 : 90;
  return { from: new Date(end.getTime() - days * DAY).toISOString(), to: end.toISOString(), days };
}

/** Up to `n` equal buckets of the period, for trend charts. */
export function buckets(p: Period, n = 7, now = new Date()): { from: string; to: string; label: string }[] {
  const { from, to, days } = periodRange(p, now);
  const start = new Date(from).getTime();
  const span = new Date(to).getTime() - start;
  const count = days === 1 ? 6 : Math.min(n, days);
  const out = [];
  for (let i = 0; i < count; i++) {
    const a = new Date(start + (span * i) / count);
    const b = new Date(start + (span * (i + 1)) / count);
    out.push({ from: a.toISOString(), to: b.toISOString(), label: a.toISOString() });
  }
  return out;
}
