import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtNumber } from '../../lib/format.ts';
import type { Operation, WorkOrder } from '../../lib/data.ts';
import type { QueuedAction } from '../../lib/offline-queue.ts';
import { Status } from '../../ui.tsx';

const SCRAP_REASONS = ['material', 'setup', 'machine', 'operator', 'dimension', 'surface', 'other'] as const;

/** A shop-floor action's label for the pending list. */
export type Label = QueuedAction['label'];

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

/** One operation at the work centre: start it, report good and scrap (with a reason), complete it, consume a scanned lot. */
export function OperationCard({ wo, op, status, open, onOpen, pending, reasonField, reportsOperator, user, send }: CardProps) {
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
