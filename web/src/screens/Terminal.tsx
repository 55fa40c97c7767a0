import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api.ts';
import { useCapabilities } from '../lib/capabilities.ts';
import type { Session } from '../lib/session.ts';
import { fmtDateTime, fmtNumber } from '../lib/format.ts';
import { useWorkOrders, type Operation, type WorkOrder } from '../lib/data.ts';
import * as queue from '../lib/offline-queue.ts';
import { ErrorBox, Loading, Status } from '../ui.tsx';

const WC_KEY = 'closeloop.terminal.workCenter';
const SCRAP_REASONS = ['material', 'setup', 'machine', 'operator', 'dimension', 'surface', 'other'] as const;
const REPORT = '/api/v1/mes/operations/{id}/report';

function useQueue(user: string) {
  const snapshot = useSyncExternalStore(
    queue.subscribe,
    () => JSON.stringify([queue.pending(user), queue.failed(user), queue.isOnline()]),
  );
  return useMemo(() => JSON.parse(snapshot) as [queue.QueuedAction[], queue.QueuedAction[], boolean], [snapshot]);
}

/** A shop-floor action's label for the pending list. */
type Label = queue.QueuedAction['label'];

export default function Terminal({ session }: { session: Session }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const caps = useCapabilities();
  const workOrders = useWorkOrders(true);
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

function PendingPanel({ pending, failed, online }: { pending: queue.QueuedAction[]; failed: queue.QueuedAction[]; online: boolean }) {
  const { t } = useTranslation();
  if (!pending.length && !failed.length) return null;
  return (
    <section className={`card pending-panel ${online ? '' : 'offline'}`} data-testid="pending">
      {pending.length > 0 && (
        <>
          <header className="card-head">
            <h2>{t('terminal.pending', { count: pending.length })}</h2>
            <button type="button" className="touch" onClick={() => void queue.flush()}>
              {t('terminal.sendNow')}
            </button>
          </header>
          <ol className="plain">
            {pending.map((a) => (
              <li key={a.key} data-pending-key={a.key}>
                {t(a.label.key, a.label.values)} <span className="muted small">{fmtDateTime(a.createdAt)}</span>
                {a.attempts > 0 && <span className="muted small"> · {t('terminal.attempts', { count: a.attempts })}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
      {failed.length > 0 && (
        <>
          <h2>{t('terminal.refused')}</h2>
          <ul className="plain">
            {failed.map((a) => (
              <li key={a.key} className="error">
                {t(a.label.key, a.label.values)}: {a.error}{' '}
                <button type="button" onClick={() => queue.dismissFailed(a.key)}>
                  {t('common.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface CardProps {
  wo: WorkOrder;
  op: Operation;
  status: Operation['status'];
  open: boolean;
  onOpen: () => void;
  pending: number;
  reasonField?: string;
  reportsOperator: boolean;
  user: string;
  send: (method: string, path: string, body: unknown, label: Label) => void;
}

function OperationCard({ wo, op, status, open, onOpen, pending, reasonField, reportsOperator, user, send }: CardProps) {
  const { t } = useTranslation();
  const remaining = Math.max(0, Number(wo.qty) - Number(op.goodQty ?? 0) - Number(op.scrapQty ?? 0));
  const ref = `${wo.id} · ${op.seq} ${op.name}`;
  const [good, setGood] = useState(String(remaining));
  const [scrap, setScrap] = useState('0');
  const [reason, setReason] = useState<string>('');
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => setGood(String(remaining)), [remaining]);

  const start = () => send('POST', `/api/v1/mes/operations/${encodeURIComponent(op.id)}/start`, { operator: user }, { key: 'terminal.action.start', values: { op: ref, ref: op.id } });
  const report = (complete: boolean) => {
    const goodQty = Number(good) || 0;
    const scrapQty = Number(scrap) || 0;
    if (scrapQty > 0 && !reason) {
      setNote(t('terminal.reasonNeeded'));
      return;
    }
    const body: Record<string, unknown> = { goodQty, scrapQty };
    if (complete) body.complete = true;
    if (reportsOperator) body.operator = user;
    if (scrapQty > 0 && reasonField) body[reasonField] = reason;
    send('POST', `/api/v1/mes/operations/${encodeURIComponent(op.id)}/report`, body, {
      key: complete ? 'terminal.action.complete' : 'terminal.action.report',
      values: { op: ref, good: goodQty, scrap: scrapQty, ref: op.id },
    });
    setNote(null);
    setScrap('0');
    setReason('');
  };
  const consume = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    let lot = String(f.get('lot') ?? '').trim();
    let itemCode = String(f.get('itemCode') ?? '').trim();
    let qty = Number(f.get('consumeQty'));
    // A scanned label may carry item, lot and quantity: "ITEM|LOT|QTY" (or ; , tab separated).
    const parts = lot.split(/[|;\t]/).map((s) => s.trim());
    if (parts.length >= 2) {
      [itemCode, lot] = [parts[0], parts[1]];
      if (parts[2] && !qty) qty = Number(parts[2]);
    }
    if (!lot || !itemCode || !(qty > 0)) {
      setNote(t('terminal.consumeIncomplete'));
      return;
    }
    send('POST', `/api/v1/mes/work-orders/${encodeURIComponent(wo.id)}/consume`, { itemCode, lot, qty }, {
      key: 'terminal.action.consume',
      values: { lot, item: itemCode, qty, wo: wo.id, ref: wo.id },
    });
    setNote(null);
    e.currentTarget.reset();
  };

  return (
    <article className={`op-card op-${status} ${open ? 'open' : ''}`} data-op={op.id} data-wo={wo.id}>
      <button type="button" className="op-head" onClick={onOpen}>
        <span className="op-title">
          <strong>{wo.id}</strong> · {wo.itemCode} · {op.seq} {op.name}
        </span>
        <span className="op-qty">
          {t('terminal.goodOfQty', { good: fmtNumber(op.goodQty, 3), qty: fmtNumber(wo.qty, 3) })}
          {Number(op.scrapQty) > 0 && ` · ${t('terminal.scrap')} ${fmtNumber(op.scrapQty, 3)}`}
        </span>
        <Status value={status} />
        {pending > 0 && <span className="badge badge-pending">{t('terminal.pendingSync', { count: pending })}</span>}
      </button>
      <div className="op-actions">
        {status === 'pending' && (
          <button type="button" className="touch primary" onClick={start} data-action="start">
            {t('terminal.start')}
          </button>
        )}
        {status === 'running' && !open && (
          <button type="button" className="touch primary" onClick={onOpen} data-action="open-report">
            {t('terminal.reportOpen')}
          </button>
        )}
      </div>
      {open && (
        <div className="op-panel">
          {status === 'running' && (
            <div className="report">
              <label>
                {t('terminal.good')}
                <input name="goodQty" type="number" inputMode="decimal" min={0} step="any" value={good} onChange={(e) => setGood(e.target.value)} />
              </label>
              <label>
                {t('terminal.scrap')}
                <input name="scrapQty" type="number" inputMode="decimal" min={0} step="any" value={scrap} onChange={(e) => setScrap(e.target.value)} />
              </label>
              <label>
                {t('terminal.scrapReason')}
                <select name="scrapReason" value={reason} onChange={(e) => setReason(e.target.value)}>
                  <option value="">—</option>
                  {SCRAP_REASONS.map((r) => (
                    <option key={r} value={r}>
                      {t(`scrapReason.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              <div className="report-buttons">
                <button type="button" className="touch" onClick={() => report(false)} data-action="report">
                  {t('terminal.report')}
                </button>
                <button type="button" className="touch primary" onClick={() => report(true)} data-action="complete">
                  {t('terminal.complete')}
                </button>
              </div>
            </div>
          )}
          <form className="consume" onSubmit={consume}>
            <label>
              {t('terminal.scanLot')}
              <input name="lot" autoComplete="off" placeholder={t('terminal.scanHint')} />
            </label>
            <label>
              {t('common.item')}
              <input name="itemCode" autoComplete="off" />
            </label>
            <label>
              {t('common.qty')}
              <input name="consumeQty" type="number" inputMode="decimal" min={0} step="any" />
            </label>
            <button type="submit" className="touch" data-action="consume">
              {t('terminal.consume')}
            </button>
          </form>
          {note && <div className="error">{note}</div>}
        </div>
      )}
    </article>
  );
}
