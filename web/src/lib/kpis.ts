import { api, qs } from './api.ts';
import { periodRange, type Period } from './period.ts';

export type Kpis = Record<string, number | null>;

/** The cockpit's KPI query; main.tsx starts it before the cockpit's code has loaded. */
export function kpiQuery(plant: string, period: Period) {
  const range = periodRange(period);
  return {
    queryKey: ['kpis', plant, period] as const,
    queryFn: () => api<Kpis>(`/api/v1/cockpit/kpis${qs({ plant, from: range.from, to: range.to })}`),
  };
}
