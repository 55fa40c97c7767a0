import { useEffect, useMemo, useState } from 'react';
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
import { fmtDateTime } from '../lib/format.ts';
import { useCockpitBoard, useOpenAlerts, type Kpis } from '../lib/data.ts';
import { ErrorBox } from '../ui.tsx';
import { LanguageSwitch } from '../i18n.tsx';
import { AlertLists } from './cockpit/AlertLists.tsx';
import { Charts } from './cockpit/Charts.tsx';
import { KpiTiles } from './cockpit/KpiTiles.tsx';

export default function Cockpit({ session }: { session: Session }) {
  const { t } = useTranslation();
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
  const board = useCockpitBoard(hasKpis && first, plant);
  const alerts = useOpenAlerts(can(session, 'alerts.read') && first);
  const hasWcList = caps.data?.has('get', '/api/v1/mes/work-centers') ?? false;
  const workCenters = useQuery({
    queryKey: ['work-centers'],
    queryFn: () => api<{ code: string; plant?: string }[]>('/api/v1/mes/work-centers'),
    enabled: hasWcList && can(session, 'mes.master.read'),
    staleTime: 60_000,
  });
  const plants = useMemo(() => [...new Set((workCenters.data ?? []).map((w) => w.plant ?? 'main'))].sort(), [workCenters.data]);

  useEffect(() => {
    if (!big) return;
    document.documentElement.requestFullscreen?.().catch(() => undefined);
    return () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    };
  }, [big]);

  const delivery = board.data?.delivery ?? { onTime: 0, atRisk: 0, late: 0, delivered: 0 };
  const wip = useMemo(() => (board.data?.wip ?? []).map((w) => [w.workCenter, { running: w.running, waiting: w.waiting }] as [string, { running: number; waiting: number }]), [board.data]);
  const openAlerts = useMemo(
    () => (alerts.data ?? []).filter((a) => !a.acknowledgedAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    [alerts.data],
  );
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
      <KpiTiles kpis={kpis.data ?? {}} loading={kpis.isPending && hasKpis} />
      <Charts
        delivery={delivery}
        wip={wip}
        trend={trend.data}
        openAlerts={openAlerts}
        period={period}
        dark={big}
        ordersLoading={board.isPending && board.fetchStatus !== 'idle'}
        trendError={trend.error}
      />
      <AlertLists openAlerts={openAlerts} />
    </div>
  );
}
