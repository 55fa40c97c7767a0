import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api.ts';
import { useCapabilities } from '../lib/capabilities.ts';
import type { Session } from '../lib/session.ts';
import { useWorkOrders, type Operation, type WorkOrder } from '../lib/data.ts';
import * as queue from '../lib/offline-queue.ts';
import { ErrorBox, Loading } from '../ui.tsx';
import { OperationCard, type Label } from './terminal/OperationCard.tsx';
import { PendingPanel } from './terminal/PendingPanel.tsx';

const WC_KEY = 'closeloop.terminal.workCenter';
const REPORT = '/api/v1/mes/operations/{id}/report';

function useQueue(user: string) {
  const snapshot = useSyncExternalStore(
    queue.subscribe,
    () => JSON.stringify([queue.pending(user), queue.failed(user), queue.isOnline()]),
  );
  return useMemo(() => JSON.parse(snapshot) as [queue.QueuedAction[], queue.QueuedAction[], boolean], [snapshot]);
}

export default function Terminal({ session }: { session: Session }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const caps = useCapabilities();
  const workOrders = useWorkOrders(true, { open: true });
  const hasWcList = caps.data?.has('get', '/api/v1/mes/work-centers') ?? false;
  const wcList = useQuery({
    queryKey: ['work-centers'],
    queryFn: () => api<{ code: string; name?: string }[]>('/api/v1/mes/work-centers'),
    enabled: hasWcList,
    staleTime: 60_000,
  });
  const [pending, failed, online] = useQueue(session.username);
  const [wc, setWc] = useState(() => localStorage.getItem(WC_KEY) ?? '');
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(
    () =>
      queue.onResult(() => {
        void qc.invalidateQueries({ queryKey: ['work-orders'] });
      }),
    [qc],
  );

  const centers = useMemo(() => {
    const s = new Set<string>((wcList.data ?? []).map((w) => w.code));
    for (const w of workOrders.data ?? []) for (const op of w.operations ?? []) s.add(op.workCenter);
    return [...s].sort();
  }, [wcList.data, workOrders.data]);
  useEffect(() => {
    if (!wc && centers.length) setWc(centers[0]);
  }, [wc, centers]);
  const chooseWc = (v: string) => {
    setWc(v);
    localStorage.setItem(WC_KEY, v);
    setSelected(null);
  };

  // What the pending actions will do, shown at once (the server confirms when they arrive).
  const pendingByOp = useMemo(() => {
    const m = new Map<string, queue.QueuedAction[]>();
    for (const a of pending) {
      const ref = String((a.label.values?.ref as string) ?? '');
      m.set(ref, [...(m.get(ref) ?? []), a]);
    }
    return m;
  }, [pending]);

  const dispatch = useMemo(() => {
    const rows: { wo: WorkOrder; op: Operation; status: Operation['status'] }[] = [];
    for (const wo of workOrders.data ?? []) {
      if (wo.status !== 'released' && wo.status !== 'in_progress') continue;
      for (const op of wo.operations ?? []) {
        if (op.workCenter !== wc) continue;
        let status = op.status;
        for (const a of pendingByOp.get(op.id) ?? []) {
          if (a.path.endsWith('/start') && status === 'pending') status = 'running';
          if (a.path.endsWith('/report') && (a.body as { complete?: boolean } | undefined)?.complete) status = 'done';
        }
        if (op.status === 'done' || op.status === 'cancelled') continue;
        rows.push({ wo, op, status });
      }
    }
    const rank = (s: string) => (s === 'running' ? 0 : s === 'pending' ? 1 : 2);
    return rows.sort(
      (a, b) => rank(a.status) - rank(b.status) || String(a.op.plannedStart ?? a.wo.plannedStart ?? '').localeCompare(String(b.op.plannedStart ?? b.wo.plannedStart ?? '')),
    );
  }, [workOrders.data, wc, pendingByOp]);

  const reportFields = useMemo(() => caps.data?.bodyFields('post', REPORT) ?? [], [caps.data]);
  const reasonField = ['scrapReason', 'reason', 'note'].find((f) => reportFields.includes(f));

  const send = (method: string, path: string, body: unknown, label: Label) => queue.enqueue(session.username, { method, path, body, label });

  return (
    <div className="terminal">
      <div className="toolbar terminal-bar">
        <h1>{t('terminal.title')}</h1>
        <label className="big-select">
          {t('common.workCenter')}{' '}
          <select name="workCenter" value={wc} onChange={(e) => chooseWc(e.target.value)}>
            {!centers.includes(wc) && <option value={wc}>{wc || '—'}</option>}
            {centers.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className={`net ${online ? 'net-on' : 'net-off'}`} data-testid="network">
          {online ? t('terminal.online') : t('terminal.offline')}
        </span>
        {wc && (
          <div className="machine-state">
            {(['running', 'idle', 'down'] as const).map((s) => (
              <button
                key={s}
                type="button"
                className={`touch state-${s}`}
                onClick={() =>
                  send('POST', '/api/v1/mes/equipment-events', { workCenter: wc, state: s }, { key: 'terminal.action.state', values: { wc, state: s, ref: `wc:${wc}` } })
                }
              >
                {t(`terminal.machine.${s}`)}
              </button>
            ))}
          </div>
        )}
      </div>

      <PendingPanel pending={pending} failed={failed} online={online} />

      <ErrorBox error={workOrders.error && !workOrders.data ? workOrders.error : null} />
      {workOrders.isPending && <Loading />}
      <div className="dispatch" data-testid="dispatch">
        {workOrders.data && !dispatch.length && <div className="muted empty big-empty">{t('terminal.nothing')}</div>}
        {dispatch.map(({ wo, op, status }) => (
          <OperationCard
            key={op.id}
            wo={wo}
            op={op}
            status={status}
            open={selected === op.id}
            onOpen={() => setSelected(selected === op.id ? null : op.id)}
            pending={(pendingByOp.get(op.id) ?? []).length + (pendingByOp.get(wo.id) ?? []).length}
            reasonField={reasonField}
            reportsOperator={reportFields.includes('operator')}
            user={session.username}
            send={send}
          />
        ))}
      </div>
    </div>
  );
}
