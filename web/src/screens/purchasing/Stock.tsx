import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, formValues, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { can } from '../../lib/permissions.ts';
import type { Session } from '../../lib/session.ts';
import { Card } from '../../ui.tsx';

interface Spec {
  name: string;
  type?: 'number' | 'select';
  options?: string[];
  required?: boolean;
}
interface Move {
  id: 'receipt' | 'transfer' | 'adjustment' | 'inspection';
  path: string;
  permission: string;
  fields: Spec[];
}

const MOVES: Move[] = [
  {
    id: 'receipt', path: '/api/v1/erp/inventory/receipts', permission: 'erp.inventory.write',
    fields: [{ name: 'itemCode', required: true }, { name: 'qty', type: 'number', required: true }, { name: 'uom' }, { name: 'lot', required: true }, { name: 'warehouse' }, { name: 'supplier' }, { name: 'unitCost', type: 'number' }],
  },
  {
    id: 'transfer', path: '/api/v1/erp/inventory/transfers', permission: 'erp.inventory.write',
    fields: [{ name: 'itemCode', required: true }, { name: 'lot', required: true }, { name: 'qty', type: 'number', required: true }, { name: 'from', required: true }, { name: 'to', required: true }],
  },
  {
    id: 'adjustment', path: '/api/v1/erp/inventory/adjustments', permission: 'erp.inventory.write',
    fields: [{ name: 'itemCode', required: true }, { name: 'lot', required: true }, { name: 'qty', type: 'number', required: true }, { name: 'reason', required: true }],
  },
  {
    id: 'inspection', path: '/api/v1/mes/inspections', permission: 'mes.quality.write',
    fields: [{ name: 'lot', required: true }, { name: 'result', type: 'select', options: ['pass', 'fail'] }, { name: 'note' }],
  },
];

/** Stock moves by hand: receipts (lot, warehouse, unit), transfers between warehouses, adjustments with a reason, incoming inspection. */
export function StockMoves({ session }: { session: Session }) {
  return (
    <div className="grid2">
      {MOVES.filter((m) => can(session, m.permission)).map((m) => (
        <MoveForm key={m.id} move={m} />
      ))}
    </div>
  );
}

function MoveForm({ move }: { move: Move }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const submit = useSubmit(() => setDone(true));
  return (
    <Card title={t(`stock.${move.id}`)}>
      <form
        className="form-row"
        data-testid={`move-${move.id}`}
        aria-label={t(`stock.${move.id}`)}
        onSubmit={(e) => {
          const v = formValues(e);
          const form = e.currentTarget;
          const body: Record<string, unknown> = {};
          for (const f of move.fields) if (v[f.name] !== undefined) body[f.name] = f.type === 'number' ? Number(v[f.name]) : v[f.name];
          setDone(false);
          void submit.send(move.path, { method: 'POST', body }).then((r) => r !== undefined && form.reset());
        }}
      >
        {move.fields.map((f) => (
          <Field key={f.name} label={t(`stock.f.${f.name}`)} name={`${move.id}-${f.name}`} error={submit.fields[f.name]}>
            {f.type === 'select' ? (
              <select name={f.name}>
                {f.options?.map((o) => (
                  <option key={o} value={o}>{t(`stock.result.${o}`)}</option>
                ))}
              </select>
            ) : (
              <input name={f.name} type={f.type ?? 'text'} step="any" required={f.required} aria-invalid={!!submit.fields[f.name]} />
            )}
          </Field>
        ))}
        <button type="submit" className="primary" disabled={submit.busy}>
          {t('common.save')}
        </button>
        {done && <span className="ok-text" role="status">{t('common.saved')}</span>}
        <SubmitError error={submit.error} shown={move.fields.map((f) => f.name)} />
      </form>
    </Card>
  );
}
