import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../lib/api.ts';
import { Field, formValues, numOr, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtDate, fmtNumber } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { navigate } from '../../lib/router.ts';
import type { Session } from '../../lib/session.ts';
import { Card, Empty, ErrorBox, Loading, Status } from '../../ui.tsx';
import { ItemSearch } from '../orders/ItemSearch.tsx';

interface Requisition {
  id: string;
  itemCode: string;
  qty: number;
  reason: string;
  status: string;
  needDate?: string | null;
}

export function Requisitions({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState('open');
  const list = useQuery({ queryKey: ['requisitions', status], queryFn: () => api<Requisition[]>(`/api/v1/erp/purchase-requisitions${qs({ status })}`) });
  const write = can(session, 'erp.purchasing.write');
  const [converting, setConverting] = useState<Requisition | null>(null);
  const [itemCode, setItemCode] = useState('');
  const create = useSubmit();
  return (
    <Card
      title={t('purchasing.requisitions')}
      actions={
        <label>
          {t('common.status')}
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {['open', 'converted', 'cancelled'].map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`, { defaultValue: s })}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {write && (
        <form className="form-row" aria-label={t('purchasing.newRequisition')} onSubmit={(e) => {
          const v = formValues(e);
          void create.send('/api/v1/erp/purchase-requisitions', { method: 'POST', body: { itemCode, qty: numOr(v.qty), reason: 'mrp', ...(v.needDate && { needDate: v.needDate }) } });
        }}>
          <ItemSearch label={t('common.item')} name="itemCode" value={itemCode} onChange={setItemCode} error={create.fields.itemCode} />
          <Field label={t('common.qty')} name="qty" error={create.fields.qty}>
            <input name="qty" type="number" min={0} step="any" required />
          </Field>
          <Field label={t('purchasing.needDate')} name="needDate" error={create.fields.needDate}>
            <input name="needDate" type="date" />
          </Field>
          <button type="submit" disabled={create.busy}>
            {t('purchasing.newRequisition')}
          </button>
          <SubmitError error={create.error} shown={['itemCode', 'qty', 'needDate']} />
        </form>
      )}
      <ErrorBox error={list.error} />
      {list.isPending ? <Loading /> : !list.data?.length ? <Empty /> : (
        <table className="table" data-testid="requisitions">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t('common.item')}</th>
              <th>{t('common.qty')}</th>
              <th>{t('purchasing.reason')}</th>
              <th>{t('purchasing.needDate')}</th>
              <th>{t('common.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.slice(0, 200).map((r) => (
              <tr key={r.id} data-requisition={r.id}>
                <td>{r.id}</td>
                <td>{r.itemCode}</td>
                <td>{fmtNumber(r.qty, 3)}</td>
                <td>{t(`purchasing.reasons.${r.reason}`, { defaultValue: r.reason })}</td>
                <td>{fmtDate(r.needDate)}</td>
                <td><Status value={r.status} /></td>
                <td>{write && r.status === 'open' && <button type="button" onClick={() => setConverting(r)} data-action="convert">{t('purchasing.convert')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {converting && <ConvertForm requisition={converting} onClose={() => setConverting(null)} />}
    </Card>
  );
}

function ConvertForm({ requisition, onClose }: { requisition: Requisition; onClose: () => void }) {
  const { t } = useTranslation();
  const [supplier, setSupplier] = useState('');
  const submit = useSubmit<{ id: string }>((po) => navigate('purchasing', 'orders', po.id));
  return (
    <form className="form-row card" aria-label={t('purchasing.convert')} data-testid="convert" onSubmit={(e) => {
      const v = formValues(e);
      void submit.send(`/api/v1/erp/purchase-requisitions/${encodeURIComponent(requisition.id)}/convert`, {
        method: 'POST',
        body: { supplier, ...(v.unitCost && { unitCost: Number(v.unitCost) }), ...(v.dueDate && { dueDate: v.dueDate }) },
      });
    }} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <strong>{requisition.id} · {requisition.itemCode} × {fmtNumber(requisition.qty, 3)}</strong>
      <ItemSearch label={t('purchasing.supplier')} name="supplier" path="/api/v1/erp/suppliers" value={supplier} onChange={setSupplier} error={submit.fields.supplier} />
      <Field label={t('purchasing.unitCost')} name="unitCost" error={submit.fields.unitCost}>
        <input name="unitCost" type="number" min={0} step="any" />
      </Field>
      <Field label={t('orders.due')} name="dueDate" error={submit.fields.dueDate}>
        <input name="dueDate" type="date" />
      </Field>
      <button type="submit" className="primary" disabled={submit.busy}>{t('purchasing.convert')}</button>
      <button type="button" onClick={onClose}>{t('common.close')}</button>
      <SubmitError error={submit.error} shown={['supplier', 'unitCost', 'dueDate']} />
    </form>
  );
}
