import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PagedList } from '../../lib/paged.tsx';
import { Field, formValues, numOr, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtDate, fmtNumber } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { navigate } from '../../lib/router.ts';
import type { Session } from '../../lib/session.ts';
import { Card, Status } from '../../ui.tsx';
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
      <PagedList<Requisition>
        path="/api/v1/erp/purchase-requisitions"
        params={{ status }}
        initialSort="id"
        testId="requisitions"
        rowKey={(r) => r.id}
        columns={[
          { key: 'id', label: 'ID', sortable: true },
          { key: 'itemCode', label: t('common.item') },
          { key: 'qty', label: t('common.qty'), render: (r) => fmtNumber(r.qty, 3) },
          { key: 'reason', label: t('purchasing.reason'), render: (r) => t(`purchasing.reasons.${r.reason}`, { defaultValue: r.reason }) },
          { key: 'needDate', label: t('purchasing.needDate'), render: (r) => fmtDate(r.needDate) },
          { key: 'status', label: t('common.status'), render: (r) => <Status value={r.status} /> },
          {
            key: 'convert',
            label: '',
            render: (r) => write && r.status === 'open' && <button type="button" onClick={() => setConverting(r)} data-action="convert">{t('purchasing.convert')}</button>,
          },
        ]}
      />
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
