import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { PagedList } from '../../lib/paged.tsx';
import { SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtDate, fmtNumber } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { href } from '../../lib/router.ts';
import type { Session } from '../../lib/session.ts';
import { Card, ErrorBox, Loading, Status } from '../../ui.tsx';
import { ItemSearch } from '../orders/ItemSearch.tsx';

interface PoLine {
  lineNo: number;
  itemCode: string;
  qty: number;
  receivedQty: number;
  unitCost: number;
  dueDate?: string | null;
}
interface PurchaseOrder {
  id: string;
  supplier: string;
  status: string;
  lines: PoLine[];
}

export function PurchaseOrders() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('open');
  return (
    <Card
      title={t('purchasing.orders')}
      actions={
        <label>
          {t('common.status')}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {['open', 'received', 'cancelled'].map((s) => (
              <option key={s} value={s}>{t(`status.${s}`, { defaultValue: s })}</option>
            ))}
          </select>
        </label>
      }
    >
      <PagedList<PurchaseOrder>
        path="/api/v1/erp/purchase-orders"
        params={{ status }}
        initialSort="-id"
        testId="purchase-orders"
        rowKey={(o) => o.id}
        columns={[
          { key: 'id', label: 'ID', sortable: true, render: (o) => <a href={href('purchasing', 'orders', o.id)}>{o.id}</a> },
          { key: 'supplier', label: t('purchasing.supplier') },
          { key: 'status', label: t('common.status'), render: (o) => <Status value={o.status} /> },
          { key: 'lines', label: t('purchasing.lines'), render: (o) => o.lines.map((l) => `${l.itemCode} × ${fmtNumber(l.qty, 3)}`).join(', ') },
        ]}
      />
    </Card>
  );
}

export function PurchaseOrderDetail({ id, session }: { id: string; session: Session }) {
  const { t } = useTranslation();
  const po = useQuery({ queryKey: ['purchase-order', id], queryFn: () => api<PurchaseOrder>(`/api/v1/erp/purchase-orders/${encodeURIComponent(id)}`) });
  const mayReceive = can(session, 'erp.purchasing.receive');
  const o = po.data;
  return (
    <div>
      <div className="toolbar">
        <a href={href('purchasing', 'orders')}>← {t('purchasing.orders')}</a>
        <h1>{t('purchasing.order')} {id}</h1>
        {o && <Status value={o.status} />}
      </div>
      <ErrorBox error={po.error} />
      {po.isPending && <Loading />}
      {o && (
        <Card title={`${t('purchasing.supplier')}: ${o.supplier}`}>
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('common.item')}</th>
                <th>{t('common.qty')}</th>
                <th>{t('purchasing.received')}</th>
                <th>{t('orders.due')}</th>
              </tr>
            </thead>
            <tbody>
              {o.lines.map((l) => (
                <tr key={l.lineNo} data-po-line={l.lineNo}>
                  <td>{l.lineNo}</td>
                  <td>{l.itemCode}</td>
                  <td>{fmtNumber(l.qty, 3)}</td>
                  <td data-testid={`received-${l.lineNo}`}>{fmtNumber(l.receivedQty, 3)}</td>
                  <td>{fmtDate(l.dueDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mayReceive && o.status === 'open' && o.lines.filter((l) => l.receivedQty < l.qty).map((l) => <ReceiveForm key={l.lineNo} po={o} line={l} />)}
        </Card>
      )}
    </div>
  );
}

/** A receipt against one line: quantity in any unit of the item, the lot, the warehouse it goes to. */
function ReceiveForm({ po, line }: { po: PurchaseOrder; line: PoLine }) {
  const { t } = useTranslation();
  const [warehouse, setWarehouse] = useState('MAIN');
  const [qty, setQty] = useState(String(line.qty - line.receivedQty));
  const [lot, setLot] = useState('');
  const [uom, setUom] = useState('');
  const submit = useSubmit();
  const f = (k: string) => submit.fields[`lines.0.${k}`];
  return (
    <form
      className="form-row"
      data-testid={`receive-${line.lineNo}`}
      aria-label={`${t('purchasing.receive')} #${line.lineNo}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit.send(`/api/v1/erp/purchase-orders/${encodeURIComponent(po.id)}/receipts`, {
          method: 'POST',
          body: { lines: [{ lineNo: line.lineNo, qty: Number(qty), lot, ...(warehouse && warehouse !== 'MAIN' && { warehouse }), ...(uom && { uom }) }] },
        });
      }}
    >
      <strong>#{line.lineNo} {line.itemCode}</strong>
      <label>
        {t('common.qty')}
        <input name="qty" type="number" min={0} step="any" value={qty} onChange={(e) => setQty(e.target.value)} required />
        {f('qty') && <span className="field-error">{f('qty')}</span>}
      </label>
      <label>
        {t('purchasing.unit')}
        <input name="uom" value={uom} onChange={(e) => setUom(e.target.value)} placeholder={t('purchasing.stockUnit')} />
        {f('uom') && <span className="field-error">{f('uom')}</span>}
      </label>
      <label>
        {t('common.lot')}
        <input name="lot" value={lot} onChange={(e) => setLot(e.target.value)} required />
        {f('lot') && <span className="field-error">{f('lot')}</span>}
      </label>
      <ItemSearch label={t('purchasing.warehouse')} name="warehouse" path="/api/v1/erp/warehouses" value={warehouse} onChange={setWarehouse} error={f('warehouse')} />
      <button type="submit" className="primary" disabled={submit.busy} data-action="receive">
        {t('purchasing.receive')}
      </button>
      <SubmitError error={submit.error} shown={['qty', 'uom', 'lot', 'warehouse'].map((k) => `lines.0.${k}`)} />
    </form>
  );
}
