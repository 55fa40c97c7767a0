import { useTranslation } from 'react-i18next';
import { fmtMoney, fmtNumber, fmtPercent } from '../../lib/format.ts';
import type { Kpis } from '../../lib/data.ts';

const KPI_NAMES = [
  'onTimeDeliveryRate',
  'openOrders',
  'wipQty',
  'oee',
  'firstPassYield',
  'inventoryValue',
  'openAlerts',
  'deliveryCycleDays',
  'inventoryTurnover',
  'meanAlertResponseMinutes',
] as const;
type KpiName = (typeof KPI_NAMES)[number];

/** A rate as a fraction (a server that sends percent is read as such). */
export const rate = (v: number) => (v > 1.0001 ? v / 100 : v);
function fmtKpi(name: KpiName, v: number | null | undefined, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (v === null || v === undefined) return '—';
  switch (name) {
    case 'onTimeDeliveryRate':
    case 'oee':
    case 'firstPassYield':
      return fmtPercent(rate(v));
    case 'inventoryValue':
      return fmtMoney(v);
    case 'deliveryCycleDays':
      return t('unit.days', { value: fmtNumber(v, 1) });
    case 'meanAlertResponseMinutes':
      return t('unit.minutes', { value: fmtNumber(v, 1) });
    case 'inventoryTurnover':
      return fmtNumber(v, 2);
    default:
      return fmtNumber(v, 0);
  }
}

/** The KPI tiles: each KPI's value, `…` while the first answer is on its way. */
export function KpiTiles({ kpis, loading }: { kpis: Kpis; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <div className="kpis">
      {KPI_NAMES.map((name) => (
        <div key={name} className="kpi card">
          <div className="kpi-label">{t(`kpi.${name}`)}</div>
          <div className="kpi-value" data-kpi={name} data-value={kpis[name] ?? ''}>
            {loading ? '…' : fmtKpi(name, kpis[name], t)}
          </div>
        </div>
      ))}
    </div>
  );
}
