import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import { useCapabilities } from '../lib/capabilities.ts';
import { Missing } from '../ui.tsx';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { href, useRoute } from '../lib/router.ts';
import { PERIODS, buckets, type Period } from '../lib/period.ts';
import { kpiQuery } from '../lib/kpis.ts';
import { ageMinutes, fmtAge, fmtDateTime, fmtMoney, fmtNumber, fmtPercent } from '../lib/format.ts';
import { lineDelivery, useAlerts, useSalesOrders, useWorkOrders, type Kpis } from '../lib/data.ts';
import { alertMessageText } from '../lib/alert-message.ts';
import { Badge, Card, Empty, ErrorBox, Loading } from '../ui.tsx';
import { LanguageSwitch } from '../i18n.tsx';

const Chart = lazy(() => import('../lib/chart.tsx'));

export const KPI_NAMES = [
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

const rate = (v: number) => (v > 1.0001 ? v / 100 : v);
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

export default function Cockpit({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const route = useRoute();
  const big = route.params.get('big') === '1';
  const [period, setPeriod] = useState<Period>('30d');
  const [plant, setPlant] = useState('');
  const caps = useCapabilities();
  // A contract route: asked at once (not after the OpenAPI document), unless the server lacks it.
  const hasKpis = caps.data ? caps.data.has('get', '/api/v1/cockpit/kpis') : true;
  const kpis = useQuery({
    enabled: hasKpis,
    ...kpiQuery(plant, period),
    refetchInterval: 30_000, // slow poll; server-sent events refresh it at once
    placeholderData: (prev) => prev,
  });
  // The charts' data is asked for once the KPIs are in, so the KPIs come first.
  const first = kpis.isFetched || !hasKpis;
  const trend = useQuery({
    enabled: hasKpis && first,
    queryKey: ['kpis-trend', plant, period],
    queryFn: async () => {
      const bs = buckets(period);
      const vals = await Promise.all(bs.map((b) => api<Kpis>(`/api/v1/cockpit/kpis${qs({ plant, from: b.from, to: b.to })}`)));
      return bs.map((b, i) => ({ ...vals[i], at: b.from }) as Kpis & { at: string });
    },
    refetchInterval: 120_000,
    placeholderData: (prev) => prev,
  });
  const readWo = can(session, 'mes.workorders.read');
  const workOrders = useWorkOrders(readWo && first);
  const orders = useSalesOrders(can(session, 'erp.sales.read') && first, readWo);
  const alerts = useAlerts(can(session, 'alerts.read') && first);
  const hasWcList = caps.data?.has('get', '/api/v1/mes/work-centers') ?? false;
  const workCenters = useQuery({
    queryKey: ['work-centers'],
    queryFn: () => api<{ code: string; plant?: string }[]>('/api/v1/mes/work-centers'),
    enabled: hasWcList && can(session, 'mes.master.read'),
    staleTime: 60_000,
  });
  const plants = useMemo(() => [...new Set((workCenters.data ?? []).map((w) => w.plant ?? 'main'))].sort(), [workCenters.data]);
  const plantCenters = useMemo(
    () => (plant && workCenters.data ? new Set(workCenters.data.filter((w) => (w.plant ?? 'main') === plant).map((w) => w.code)) : null),
    [plant, workCenters.data],
  );

  useEffect(() => {
    if (!big) return;
    document.documentElement.requestFullscreen?.().catch(() => undefined);
    return () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, [big]);

  // Order delivery status, by line.
  const delivery = useMemo(() => {
    const counts = { onTime: 0, atRisk: 0, late: 0, delivered: 0 };
    for (const o of orders.data ?? [])
      for (const l of o.lines ?? []) {
        const d = lineDelivery(o, l);
        if (d !== 'cancelled') counts[d]++;
      }
    return counts;
  }, [orders.data]);
  // WIP by work centre: what is left of each open work order, at its current operation.
  const wip = useMemo(() => {
    const m = new Map<string, { running: number; waiting: number }>();
    for (const w of workOrders.data ?? []) {
      if (w.status !== 'released' && w.status !== 'in_progress') continue;
      const op = [...(w.operations ?? [])].sort((a, b) => a.seq - b.seq).find((o) => o.status === 'running' || o.status === 'pending');
      if (!op || (plantCenters && !plantCenters.has(op.workCenter))) continue;
      const left = Math.max(0, Number(w.qty) - Number(op.goodQty ?? 0) - Number(op.scrapQty ?? 0));
      const e = m.get(op.workCenter) ?? { running: 0, waiting: 0 };
      if (op.status === 'running') e.running += left;
      else e.waiting += left;
      m.set(op.workCenter, e);
    }
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [workOrders.data, plantCenters]);
  const openAlerts = useMemo(
    () => (alerts.data ?? []).filter((a) => !a.acknowledgedAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [alerts.data],
  );
  const inventoryAlerts = openAlerts.filter((a) => a.kind === 'reorder' || a.kind === 'shortage');

  const dark = big;
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
    const rows = trend.data ?? [];
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
  }, [trend.data, t, i18n.language, period, axisColor]);
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

  const k = kpis.data ?? {};
  return (
    <div className={`cockpit ${big ? 'cockpit-big' : ''}`}>
      <div className="toolbar">
        <h1>{t('cockpit.title')}</h1>
        <label>
          {t('cockpit.plant')}{' '}
          {plants.length ? (
            <select name="plant" value={plant} onChange={(e) => setPlant(e.target.value)}>
              <option value="">{t('cockpit.allPlants')}</option>
              {plants.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          ) : (
            <input name="plant" value={plant} placeholder={t('cockpit.allPlants')} onChange={(e) => setPlant(e.target.value.trim())} size={10} />
          )}
        </label>
        <label>
          {t('cockpit.period')}{' '}
          <select name="period" value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`period.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {t('cockpit.updated')}: {kpis.dataUpdatedAt ? fmtDateTime(new Date(kpis.dataUpdatedAt).toISOString()) : '—'}
        </span>
        <span className="spacer" />
        {big && <LanguageSwitch />}
        <a className="button" href={big ? href('cockpit') : `${href('cockpit')}?big=1`} data-testid="big-screen">
          {big ? t('cockpit.exitBigScreen') : t('cockpit.bigScreen')}
        </a>
      </div>
      <ErrorBox error={kpis.error} />
      {caps.data && !hasKpis && <Missing route="GET /api/v1/cockpit/kpis" />}
      <div className="kpis">
        {KPI_NAMES.map((name) => (
          <div key={name} className="kpi card">
            <div className="kpi-label">{t(`kpi.${name}`)}</div>
            <div className="kpi-value" data-kpi={name} data-value={k[name] ?? ''}>
              {kpis.isPending && hasKpis ? '…' : fmtKpi(name, k[name], t)}
            </div>
          </div>
        ))}
      </div>
      <Suspense fallback={<Loading />}>
        <div className="grid2">
          <Card title={t('cockpit.deliveryStatus')}>
            {orders.isPending && orders.fetchStatus !== 'idle' ? <Loading /> : <Chart option={deliveryOption} dark={dark} testId="chart-delivery" />}
          </Card>
          <Card title={t('cockpit.wipByWorkCenter')}>
            {wip.length ? <Chart option={wipOption} dark={dark} testId="chart-wip" /> : <Empty />}
          </Card>
          <Card title={t('cockpit.trend')}>
            <ErrorBox error={trend.error} />
            <Chart option={trendOption} dark={dark} testId="chart-trend" />
          </Card>
          <Card title={t('cockpit.openAlertsAge')}>
            {openAlerts.length ? <Chart option={alertOption} dark={dark} testId="chart-alerts" /> : <Empty>{t('alerts.none')}</Empty>}
          </Card>
        </div>
      </Suspense>
      <div className="grid2">
        <Card title={t('cockpit.inventoryAlerts')}>
          {inventoryAlerts.length ? (
            <ul className="plain">
              {inventoryAlerts.slice(0, 8).map((a) => (
                <li key={a.id}>
                  <Badge kind={a.severity}>{t(`alertKind.${a.kind}`, { defaultValue: a.kind })}</Badge> {a.ref} — <span data-alert-message>{alertMessageText(i18n, a)}</span>{' '}
                  <span className="muted">{fmtAge(a.createdAt)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t('alerts.none')}</Empty>
          )}
        </Card>
        <Card title={t('cockpit.openAlertsList')}>
          {openAlerts.length ? (
            <ul className="plain">
              {openAlerts.slice(0, 8).map((a) => (
                <li key={a.id}>
                  <Badge kind={a.severity}>{t(`severity.${a.severity}`, { defaultValue: a.severity })}</Badge>{' '}
                  {t(`alertKind.${a.kind}`, { defaultValue: a.kind })} {a.ref} <span className="muted">{fmtAge(a.createdAt)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t('alerts.none')}</Empty>
          )}
        </Card>
      </div>
    </div>
  );
}
