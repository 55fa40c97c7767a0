import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../lib/api.ts';
import { SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtDate } from '../../lib/format.ts';
import { href, navigate } from '../../lib/router.ts';
import { Badge, Card } from '../../ui.tsx';
import { ItemSearch } from './ItemSearch.tsx';

interface Line {
  itemCode: string;
  qty: string;
  uom: string;
  dueDate: string;
}
interface ItemUnits {
  uom: string;
  uoms?: { uom: string; factor: number }[];
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** A new sales order: customer, lines (item search, quantity in any unit of the item, due date), the CTP date of each line before saving. */
export function NewOrder() {
  const { t } = useTranslation();
  const [customer, setCustomer] = useState('');
  const [lines, setLines] = useState<Line[]>([{ itemCode: '', qty: '1', uom: '', dueDate: inDays(14) }]);
  const submit = useSubmit<{ id: string }>((o) => navigate('orders', o.id));
  const set = (i: number, l: Partial<Line>) => setLines(lines.map((x, j) => (j === i ? { ...x, ...l } : x)));
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    void submit.send('/api/v1/erp/sales-orders', {
      method: 'POST',
      body: { customer, lines: lines.map((l) => ({ itemCode: l.itemCode, qty: Number(l.qty), dueDate: l.dueDate, ...(l.uom && { uom: l.uom }) })) },
    });
  };
  const shown = ['customer', ...lines.flatMap((_, i) => ['itemCode', 'qty', 'dueDate', 'uom'].map((k) => `lines.${i}.${k}`))];
  return (
    <div>
      <div className="toolbar">
        <a href={href('orders')}>← {t('orders.title')}</a>
        <h1>{t('newOrder.title')}</h1>
      </div>
      <Card>
        <form className="stack" onSubmit={save} data-testid="new-order" aria-label={t('newOrder.title')}>
          <div className="form-row">
            <ItemSearch label={t('orders.customer')} name="customer" path="/api/v1/erp/customers" value={customer} onChange={setCustomer} error={submit.fields.customer} />
          </div>
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('common.item')}</th>
                <th>{t('common.qty')}</th>
                <th>{t('newOrder.unit')}</th>
                <th>{t('orders.due')}</th>
                <th>{t('newOrder.ctp')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <LineRow key={i} i={i} line={l} set={(x) => set(i, x)} remove={lines.length > 1 ? () => setLines(lines.filter((_, j) => j !== i)) : undefined} fields={submit.fields} />
              ))}
            </tbody>
          </table>
          <div className="form-row">
            <button type="button" onClick={() => setLines([...lines, { itemCode: '', qty: '1', uom: '', dueDate: inDays(14) }])} data-action="add-line">
              + {t('newOrder.addLine')}
            </button>
            <button type="submit" className="primary" disabled={submit.busy} data-action="save-order">
              {t('newOrder.save')}
            </button>
          </div>
          <SubmitError error={submit.error} shown={shown} />
        </form>
      </Card>
    </div>
  );
}

function LineRow({ i, line, set, remove, fields }: { i: number; line: Line; set: (l: Partial<Line>) => void; remove?: () => void; fields: Record<string, string> }) {
  const { t } = useTranslation();
  // The item's units once the code names an item (looked up by search, so a half-typed code asks nothing of the item route).
  const found = useQuery({
    queryKey: ['list', '/api/v1/erp/items', line.itemCode, 'code', 'suggest'],
    queryFn: () => api<{ code: string }[]>(`/api/v1/erp/items${qs({ q: line.itemCode, limit: 10 })}`),
    enabled: line.itemCode.length > 0,
    staleTime: 30_000,
  });
  const known = !!found.data?.some((i) => i.code === line.itemCode);
  const item = useQuery({
    queryKey: ['item', line.itemCode],
    queryFn: () => api<ItemUnits>(`/api/v1/erp/items/${encodeURIComponent(line.itemCode)}`),
    enabled: known,
    retry: false,
  });
  const units = item.data ? [{ uom: item.data.uom, factor: 1 }, ...(item.data.uoms ?? []).filter((u) => u.uom !== item.data!.uom)] : [];
  const factor = units.find((u) => u.uom === line.uom)?.factor ?? 1;
  const stockQty = Number(line.qty) * factor;
  const ctp = useQuery({
    queryKey: ['ctp', line.itemCode, stockQty],
    queryFn: () => api<{ date: string; limitedBy: string }>(`/api/v1/planning/ctp${qs({ itemCode: line.itemCode, qty: stockQty })}`),
    enabled: !!item.data && stockQty > 0,
    retry: false,
  });
  const late = ctp.data && ctp.data.date.slice(0, 10) > line.dueDate;
  const err = (k: string) => fields[`lines.${i}.${k}`];
  return (
    <tr data-line={i + 1}>
      <td>{i + 1}</td>
      <td>
        <ItemSearch label={t('common.item')} name={`lines.${i}.itemCode`} value={line.itemCode} onChange={(v) => set({ itemCode: v, uom: '' })} error={err('itemCode')} />
      </td>
      <td>
        <label>
          <span className="sr-only">{t('common.qty')}</span>
          <input name={`lines.${i}.qty`} type="number" min={0} step="any" value={line.qty} onChange={(e) => set({ qty: e.target.value })} required aria-invalid={!!err('qty')} />
          {err('qty') && <span className="field-error">{err('qty')}</span>}
        </label>
      </td>
      <td>
        <label>
          <span className="sr-only">{t('newOrder.unit')}</span>
          <select name={`lines.${i}.uom`} value={line.uom} onChange={(e) => set({ uom: e.target.value })}>
            {units.map((u, k) => (
              <option key={u.uom} value={k === 0 ? '' : u.uom}>
                {u.uom}
              </option>
            ))}
          </select>
          {err('uom') && <span className="field-error">{err('uom')}</span>}
        </label>
      </td>
      <td>
        <label>
          <span className="sr-only">{t('orders.due')}</span>
          <input name={`lines.${i}.dueDate`} type="date" value={line.dueDate} onChange={(e) => set({ dueDate: e.target.value })} required />
          {err('dueDate') && <span className="field-error">{err('dueDate')}</span>}
        </label>
      </td>
      <td data-testid={`ctp-${i + 1}`} data-date={ctp.data?.date ?? ''}>
        {ctp.data ? (
          <>
            {fmtDate(ctp.data.date)} {late ? <Badge kind="late">{t('newOrder.afterDue')}</Badge> : <Badge kind="ok">{t('newOrder.inTime')}</Badge>}
            <div className="muted small">{t(`newOrder.limitedBy.${ctp.data.limitedBy}`, { defaultValue: ctp.data.limitedBy })}</div>
          </>
        ) : item.error || (found.data && !known) ? (
          <span className="muted">{t('newOrder.unknownItem')}</span>
        ) : (
          <span className="muted">…</span>
        )}
      </td>
      <td>
        {remove && (
          <button type="button" onClick={remove} aria-label={t('common.remove')}>
            ✕
          </button>
        )}
      </td>
    </tr>
  );
}
