import { Suspense, lazy, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import { useHas } from '../lib/capabilities.ts';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { fmtDate, fmtDateTime, fmtNumber, fmtTime } from '../lib/format.ts';
import { useReplans, useWorkOrders, type WorkOrder } from '../lib/data.ts';
import { Badge, Card, Empty, ErrorBox, Loading, Missing } from '../ui.tsx';
import { ReplansCard, latestMoves, replanReason } from './planner/Replans.tsx';

/** A bar of the board: work-centre row, start, end (ms), work order, operation id, late (1) or not (0), moved by the latest replan (1) or not (0). */
type BarValue = [number, number, number, string, string, number, number];
/** The part of ECharts' custom-series API that draws a bar. */
interface RenderApi {
  value(dim: number): number | string;
  coord(point: [number | string, number | string]): number[];
  size(span: [number, number]): number[];
  visual(key: 'color'): string;
}

const Chart = lazy(() => import('../lib/chart.tsx'));

interface Schedule {
  workCenters: { code: string; operations: { id: string; workOrder: string; start: string; end: string; late?: boolean }[] }[];
}

const PALETTE = ['#5b8def', '#2e9d5b', '#8e6bd6', '#1fa2a8', '#b8860b', '#6b8e23', '#c0629b', '#4b6584'];
const LATE = '#d9534f';
/** A bar's outline: moved by the latest replan (dashed orange, as .swatch-moved), late (dark red), else white. */
const outline = (late: boolean, moved: boolean) =>
  moved ? { stroke: '#ff8c00', lineWidth: 2, lineDash: [4, 2] } : late ? { stroke: '#8b0000', lineWidth: 2 } : { stroke: '#ffffff', lineWidth: 1 };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export default function Planner({ session }: { session: Session }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const hasSchedule = useHas('get', '/api/v1/planning/schedule');
  const schedule = useQuery({ queryKey: ['schedule'], queryFn: () => api<Schedule>('/api/v1/planning/schedule'), refetchInterval: 60_000, enabled: hasSchedule !== false });
  const readWo = can(session, 'mes.workorders.read');
  const workOrders = useWorkOrders(readWo, { open: true }); // the board plans open work only
  const reschedule = useMutation({
    mutationFn: () => api('/api/v1/planning/schedule', { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries(), // the replans included
  });
  const hasReplans = useHas('get', '/api/v1/planning/replans');
  const replans = useReplans(can(session, 'planning.read') && hasReplans !== false);
  useRefreshTogether(schedule.dataUpdatedAt, replans.data && (replans.data.replans[0]?.at ?? null));

  // Due date of each work order: its own (the MES keeps its order line's on every level, changes
  // included), else its parent's — no sales orders need reading for the board.
  const due = useMemo(() => {
    const woById = new Map<string, WorkOrder>((workOrders.data ?? []).map((w) => [w.id, w]));
    const out = new Map<string, Date>();
    for (const w of woById.values()) {
      let at: WorkOrder | undefined = w;
      for (let i = 0; at && !at.dueDate && at.parentWorkOrder && i < 10; i++) at = woById.get(at.parentWorkOrder);
      const d = at?.dueDate;
      if (d) out.set(w.id, new Date(`${String(d).slice(0, 10)}T23:59:59Z`));
    }
    return out;
  }, [workOrders.data]);
  const woIndex = useMemo(() => new Map((workOrders.data ?? []).map((w) => [w.id, w])), [workOrders.data]);

  const centers = schedule.data?.workCenters ?? [];
  const late = useMemo(() => {
    const out: { wc: string; op: Schedule['workCenters'][number]['operations'][number]; due: Date | null }[] = [];
    for (const wc of centers)
      for (const op of wc.operations) {
        const d = due.get(op.workOrder) ?? null;
        if (op.late || (d && new Date(op.end) > d)) out.push({ wc: wc.code, op, due: d });
      }
    return out;
  }, [centers, due]);
  const lateIds = useMemo(() => new Set(late.map((l) => l.op.id)), [late]);

  // What the latest replan moved and is still where it put it (a later reschedule may have moved it again).
  const lastReplan = latestMoves(replans.data);
  const movedIds = useMemo(() => {
    const starts = new Map(centers.flatMap((wc) => wc.operations.map((op) => [op.id, Date.parse(op.start)] as const)));
    const out = new Set<string>();
    for (const m of lastReplan?.moved ?? []) {
      const start = starts.get(m.id);
      if (start !== undefined && Math.abs(start - Date.parse(m.to)) < 60_000) out.add(m.id);
    }
    return out;
  }, [centers, lastReplan]);
  const movedNote = lastReplan && t('planner.replans.movedBy', { replace: { time: fmtTime(lastReplan.at), reason: lastReplan.reasons.map((r) => replanReason(t, r)).join('; ') } });

  const option = useMemo(() => {
    const colorOf = new Map<string, string>();
    const data = centers.flatMap((wc, i) =>
      wc.operations.map((op) => {
        if (!colorOf.has(op.workOrder)) colorOf.set(op.workOrder, PALETTE[colorOf.size % PALETTE.length]);
        const isLate = lateIds.has(op.id);
        const value: BarValue = [i, new Date(op.start).getTime(), new Date(op.end).getTime(), op.workOrder, op.id, isLate ? 1 : 0, movedIds.has(op.id) ? 1 : 0];
        return { name: op.workOrder, value, itemStyle: { color: isLate ? LATE : colorOf.get(op.workOrder) } };
      }),
    );
    return {
      tooltip: {
        formatter: (p: { value: BarValue }) => {
          const [, s, e, wo, , isLate, moved] = p.value;
          const w = woIndex.get(wo);
          const d = due.get(wo);
          return [
            `<b>${wo}</b>${w ? ` · ${w.itemCode} × ${fmtNumber(w.qty, 3)}` : ''}`,
            `${fmtDateTime(new Date(s).toISOString())} → ${fmtDateTime(new Date(e).toISOString())}`,
            d ? `${t('orders.due')}: ${fmtDate(d.toISOString())}` : '',
            isLate ? `<span style="color:${LATE}">${t('planner.late')}</span>` : '',
            moved && movedNote ? `<span style="color:#b35f00">${escapeHtml(movedNote)}</span>` : '',
          ]
            .filter(Boolean)
            .join('<br/>');
        },
      },
      grid: { left: 90, right: 24, top: 16, bottom: 64 },
      dataZoom: [
        { type: 'slider', xAxisIndex: 0, filterMode: 'weakFilter', bottom: 12 },
        { type: 'inside', xAxisIndex: 0, filterMode: 'weakFilter' },
      ],
      xAxis: { type: 'time', position: 'top', splitLine: { show: true, lineStyle: { color: '#eee' } } },
      yAxis: { type: 'category', data: centers.map((c) => c.code), inverse: true },
      series: [
        {
          type: 'custom',
          clip: true,
          encode: { x: [1, 2], y: 0 },
          data,
          markLine: { silent: true, symbol: 'none', lineStyle: { color: LATE, type: 'dashed' }, data: [{ xAxis: Date.now(), label: { formatter: t('planner.now') } }] },
          renderItem: (_params: unknown, a: RenderApi) => {
            const cat = a.value(0);
            const start = a.coord([a.value(1), cat]);
            const end = a.coord([a.value(2), cat]);
            const h = a.size([0, 1])[1] * 0.6;
            const width = Math.max(2, end[0] - start[0]);
            const rect = {
              type: 'rect',
              transition: ['shape'],
              shape: { x: start[0], y: start[1] - h / 2, width, height: h },
              style: { fill: a.visual('color'), ...outline(!!a.value(5), !!a.value(6)) },
            };
            if (width < 70) return rect;
            const label = { type: 'text', style: { text: String(a.value(3)), x: start[0] + 6, y: start[1], fill: '#fff', font: '11px sans-serif', verticalAlign: 'middle' } };
            return { type: 'group', children: [rect, label] };
          },
        },
      ],
    };
  }, [centers, lateIds, movedIds, movedNote, woIndex, due, t]);

  const mayWrite = can(session, 'planning.write');
  return (
    <div>
      <div className="toolbar">
        <h1>{t('planner.title')}</h1>
        <span className="spacer" />
        {late.length > 0 && <Badge kind="late">{t('planner.lateCount', { count: late.length })}</Badge>}
        {mayWrite && hasSchedule && (
          <button type="button" className="primary" onClick={() => reschedule.mutate()} disabled={reschedule.isPending} data-testid="reschedule">
            {reschedule.isPending ? t('common.working') : t('planner.reschedule')}
          </button>
        )}
      </div>
      <ErrorBox error={schedule.error ?? reschedule.error} />
      <Card title={t('planner.gantt')}>
        {hasSchedule === false ? (
          <Missing route="GET /api/v1/planning/schedule" />
        ) : schedule.isPending ? (
          <Loading />
        ) : !centers.some((c) => c.operations.length) ? (
          <Empty>{t('planner.noSchedule')}</Empty>
        ) : (
          <Suspense fallback={<Loading />}>
            <Chart option={option} height={Math.max(240, centers.length * 56 + 90)} testId="gantt" />
            {lastReplan && movedIds.size > 0 && (
              <p className="muted gantt-legend" data-testid="gantt-moved" data-ops={[...movedIds].join(' ')}>
                <span className="swatch-moved" />
                {t('planner.replans.legend', { count: movedIds.size, time: fmtTime(lastReplan.at) })}
              </p>
            )}
          </Suspense>
        )}
      </Card>
      <div className="grid2">
        <Card title={t('planner.lateWork')}>
          {late.length ? (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('common.workCenter')}</th>
                  <th>{t('common.workOrder')}</th>
                  <th>{t('planner.end')}</th>
                  <th>{t('orders.due')}</th>
                </tr>
              </thead>
              <tbody>
                {late.map((l) => (
                  <tr key={l.op.id} className="delivery-late">
                    <td>{l.wc}</td>
                    <td>{l.op.workOrder}</td>
                    <td>{fmtDateTime(l.op.end)}</td>
                    <td>{l.due ? fmtDate(l.due.toISOString()) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>{t('planner.noLate')}</Empty>
          )}
        </Card>
        <Ctp />
      </div>
      {can(session, 'planning.read') && <ReplansCard query={replans} has={hasReplans} />}
    </div>
  );
}

function Ctp() {
  const { t } = useTranslation();
  const [req, setReq] = useState<{ itemCode: string; qty: number } | null>(null);
  const hasCtp = useHas('get', '/api/v1/planning/ctp');
  const ctp = useQuery({
    queryKey: ['ctp', req?.itemCode, req?.qty],
    queryFn: () => api<{ itemCode: string; qty: number; date: string; limitedBy: string }>(`/api/v1/planning/ctp${qs({ itemCode: req!.itemCode, qty: req!.qty })}`),
    enabled: !!req && !!hasCtp,
  });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setReq({ itemCode: String(f.get('itemCode')).trim(), qty: Number(f.get('qty')) });
  };
  return (
    <Card title={t('planner.ctp')}>
      {hasCtp === false && <Missing route="GET /api/v1/planning/ctp" />}
      <form className="form-row" onSubmit={submit}>
        <label>
          {t('common.item')}
          <input name="itemCode" required />
        </label>
        <label>
          {t('common.qty')}
          <input name="qty" type="number" min={0.001} step="any" required defaultValue={1} />
        </label>
        <button type="submit" className="primary">
          {t('planner.ctpAsk')}
        </button>
      </form>
      <ErrorBox error={ctp.error} />
      {ctp.isFetching && <Loading />}
      {ctp.data && (
        <p className="ctp-answer" data-testid="ctp" data-date={ctp.data.date}>
          {t('planner.ctpAnswer', { item: ctp.data.itemCode, qty: fmtNumber(ctp.data.qty, 3), date: fmtDate(ctp.data.date) })}{' '}
          <Badge kind={ctp.data.limitedBy}>{t(`planner.limitedBy.${ctp.data.limitedBy}`, { defaultValue: ctp.data.limitedBy })}</Badge>
        </p>
      )}
    </Card>
  );
}

/**
 * The schedule and the replans refresh each other: a schedule refetched (every minute, after a
 * reschedule) asks for the replans again, and a replan new since the last look asks for the schedule
 * (it changed the plan). The first answers of each, as the board opens, ask for nothing.
 */
function useRefreshTogether(scheduleUpdatedAt: number, newestReplan: string | null | undefined /* none yet, not read yet */) {
  const qc = useQueryClient();
  const lastSchedule = useRef(0);
  useEffect(() => {
    if (!scheduleUpdatedAt) return;
    if (lastSchedule.current) void qc.invalidateQueries({ queryKey: ['replans'] });
    lastSchedule.current = scheduleUpdatedAt;
  }, [scheduleUpdatedAt, qc]);
  const lastReplan = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (newestReplan === undefined) return;
    if (lastReplan.current !== undefined && lastReplan.current !== newestReplan) void qc.invalidateQueries({ queryKey: ['schedule'] });
    lastReplan.current = newestReplan;
  }, [newestReplan, qc]);
}
