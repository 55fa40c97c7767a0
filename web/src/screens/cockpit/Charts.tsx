import { Suspense, lazy, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ageMinutes } from '../../lib/format.ts';
import type { Alert, Kpis } from '../../lib/data.ts';
import type { Period } from '../../lib/period.ts';
import { Card, Empty, ErrorBox, Loading } from '../../ui.tsx';
import { rate } from './KpiTiles.tsx';

const Chart = lazy(() => import('../../lib/chart.tsx'));

interface ChartData {
  /** Sales-order lines by delivery state. */
  delivery: { onTime: number; atRisk: number; late: number; delivered: number };
  /** What is left of open work, by work centre: running and waiting. */
  wip: [string, { running: number; waiting: number }][];
  /** The KPIs of each bucket of the period. */
  trend: (Kpis & { at: string })[] | undefined;
  /** Open alerts, oldest first. */
  openAlerts: Alert[];
}

/** The cockpit's four charts: delivery status, WIP by work centre, the KPI trend, the age of open alerts. */
export function Charts({ delivery, wip, trend, openAlerts, period, dark, ordersLoading, trendError }: ChartData & { period: Period; dark: boolean; ordersLoading: boolean; trendError: unknown }) {
  const { t, i18n } = useTranslation();
  const axisColor = dark ? '#9fb3c8' : '#555';
  const deliveryOption = useMemo(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, textStyle: { color: axisColor } },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          label: { color: axisColor },
          data: (['onTime', 'atRisk', 'late', 'delivered'] as const).filter((k) => delivery[k] > 0).map((k) => ({
            name: t(`delivery.${k}`),
            value: delivery[k],
            itemStyle: { color: { onTime: '#2e9d5b', atRisk: '#e6a23c', late: '#d9534f', delivered: '#5b8def' }[k] },
          })),
        },
      ],
    }),
    [delivery, t, axisColor],
  );
  const wipOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, textStyle: { color: axisColor } },
      grid: { left: 50, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: wip.map(([wc]) => wc), axisLabel: { color: axisColor } },
      yAxis: { type: 'value', axisLabel: { color: axisColor } },
      series: [
        { name: t('cockpit.wipRunning'), type: 'bar', stack: 'wip', data: wip.map(([, v]) => v.running), itemStyle: { color: '#5b8def' } },
        { name: t('cockpit.wipWaiting'), type: 'bar', stack: 'wip', data: wip.map(([, v]) => v.waiting), itemStyle: { color: '#a9c1f5' } },
      ],
    }),
    [wip, t, axisColor],
  );
  const trendOption = useMemo(() => {
    const rows = trend ?? [];
    const label = (at: string) =>
      new Intl.DateTimeFormat(i18n.language, period === 'today' ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric' }).format(new Date(at));
    const series = (['oee', 'firstPassYield', 'onTimeDeliveryRate'] as const).map((k) => ({
      name: t(`kpi.${k}`),
      type: 'line',
      smooth: true,
      data: rows.map((r) => (r[k] === null || r[k] === undefined ? null : Math.round(rate(Number(r[k])) * 1000) / 10)),
    }));
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => (v === null || v === undefined ? '—' : `${v}%`) },
      legend: { bottom: 0, textStyle: { color: axisColor } },
      grid: { left: 44, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: rows.map((r) => label(r.at)), axisLabel: { color: axisColor } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { color: axisColor, formatter: '{value}%' } },
      series,
    };
  }, [trend, t, i18n.language, period, axisColor]);
  const alertOption = useMemo(() => {
    const top = openAlerts.slice(0, 10).reverse();
    const sevColor: Record<string, string> = { critical: '#d9534f', high: '#d9534f', warning: '#e6a23c', medium: '#e6a23c', info: '#5b8def', low: '#5b8def' };
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 120, right: 24, top: 8, bottom: 28 },
      xAxis: { type: 'value', name: t('cockpit.ageMinutes'), nameLocation: 'middle', nameGap: 22, axisLabel: { color: axisColor }, nameTextStyle: { color: axisColor } },
      yAxis: { type: 'category', data: top.map((a) => `${t(`alertKind.${a.kind}`, { defaultValue: a.kind })} ${a.ref}`), axisLabel: { color: axisColor, width: 110, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          data: top.map((a) => ({ value: Math.round(ageMinutes(a.createdAt)), itemStyle: { color: sevColor[a.severity] ?? '#888' } })),
        },
      ],
    };
  }, [openAlerts, t, axisColor]);

  return (
    <Suspense fallback={<Loading />}>
      <div className="grid2">
        <Card title={t('cockpit.deliveryStatus')}>
          {ordersLoading ? <Loading /> : <Chart option={deliveryOption} dark={dark} testId="chart-delivery" />}
        </Card>
        <Card title={t('cockpit.wipByWorkCenter')}>
          {wip.length ? <Chart option={wipOption} dark={dark} testId="chart-wip" /> : <Empty />}
        </Card>
        <Card title={t('cockpit.trend')}>
          <ErrorBox error={trendError} />
          <Chart option={trendOption} dark={dark} testId="chart-trend" />
        </Card>
        <Card title={t('cockpit.openAlertsAge')}>
          {openAlerts.length ? <Chart option={alertOption} dark={dark} testId="chart-alerts" /> : <Empty>{t('alerts.none')}</Empty>}
        </Card>
      </div>
    </Suspense>
  );
}
