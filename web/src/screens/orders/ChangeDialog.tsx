import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../lib/api.ts';
import { useSubmit } from '../../lib/forms.tsx';
import { fmtNumber } from '../../lib/format.ts';
import type { SalesOrder, SalesOrderLine } from '../../lib/data.ts';
import { Badge, ErrorBox, Loading, Status } from '../../ui.tsx';

/** `GET /api/v1/erp/sales-orders/:id/change-impact` (CONTRACT: ERP). */
interface ChangeImpact {
  feasible: boolean;
  reason?: string;
  workOrders: { id: string; itemCode: string; qty: number; newQty: number; goodQty: number; status: string }[];
  materialIssued: { itemCode: string; lot: string; qty: number }[];
}

export function ChangeDialog({ order, line, onClose }: { order: SalesOrder; line: SalesOrderLine; onClose: () => void }) {
  const { t } = useTranslation();
  const [qty, setQty] = useState(String(line.qty));
  const [dueDate, setDueDate] = useState(String(line.dueDate).slice(0, 10));
  const changed = { qty: Number(qty) !== Number(line.qty) ? Number(qty) : undefined, dueDate: dueDate !== String(line.dueDate).slice(0, 10) ? dueDate : undefined };
  const impact = useQuery({
    queryKey: ['change-impact', order.id, line.lineNo, changed.qty, changed.dueDate],
    queryFn: () =>
      api<ChangeImpact>(`/api/v1/erp/sales-orders/${encodeURIComponent(order.id)}/change-impact${qs({ lineNo: line.lineNo, qty: changed.qty, dueDate: changed.dueDate })}`),
    enabled: changed.qty !== undefined || changed.dueDate !== undefined,
  });
  // One Idempotency-Key per submit, no second submit while the first is on its way.
  const send = useSubmit(onClose);
  return (
    <div className="modal-backdrop" onClick={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal card" role="dialog" aria-modal="true" onClick={(e) => e.stopPropagation()}>
        <h2>
          {t('orders.changeLine')} {order.id} #{line.lineNo} ({line.itemCode})
        </h2>
        <div className="form-row">
          <label>
            {t('common.qty')}
            <input name="qty" type="number" min={0} step="any" value={qty} onChange={(e) => setQty(e.target.value)} />
          </label>
          <label>
            {t('orders.due')}
            <input name="dueDate" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
          </label>
        </div>
        <h3>{t('orders.impact')}</h3>
        {impact.fetchStatus === 'idle' && !impact.data ? (
          <p className="muted">{t('orders.impactHint')}</p>
        ) : impact.isPending ? (
          <Loading />
        ) : (
          <ErrorBox error={impact.error} />
        )}
        {impact.data && (
          <div data-testid="impact">
            <p>
              {impact.data.feasible ? <Badge kind="ok">{t('orders.feasible')}</Badge> : <Badge kind="late">{t('orders.notFeasible')}</Badge>}{' '}
              {impact.data.reason}
            </p>
            {impact.data.workOrders?.length > 0 && (
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('common.workOrder')}</th>
                    <th>{t('common.item')}</th>
                    <th>{t('common.qty')}</th>
                    <th>{t('orders.newQty')}</th>
                    <th>{t('orders.goodSoFar')}</th>
                    <th>{t('common.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.data.workOrders.map((w) => (
                    <tr key={w.id}>
                      <td>{w.id}</td>
                      <td>{w.itemCode}</td>
                      <td>{fmtNumber(w.qty, 3)}</td>
                      <td>{fmtNumber(w.newQty, 3)}</td>
                      <td>{fmtNumber(w.goodQty, 3)}</td>
                      <td>
                        <Status value={w.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {impact.data.materialIssued?.length > 0 && (
              <>
                <h4>{t('orders.materialIssued')}</h4>
                <ul className="plain">
                  {impact.data.materialIssued.map((m, i) => (
                    <li key={i}>
                      {m.itemCode} · {t('common.lot')} {m.lot} · {fmtNumber(m.qty, 3)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <ErrorBox error={send.error} />
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={(changed.qty === undefined && changed.dueDate === undefined) || send.busy}
            onClick={() => void send.send(`/api/v1/erp/sales-orders/${encodeURIComponent(order.id)}/lines/${line.lineNo}`, { method: 'PATCH', body: changed })}
          >
            {t('orders.sendChange')}
          </button>
        </div>
      </div>
    </div>
  );
}
