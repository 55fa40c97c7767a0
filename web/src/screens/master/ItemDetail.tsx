import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { Field, formValues, numOr, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { fmtMoney, fmtNumber } from '../../lib/format.ts';
import { can } from '../../lib/permissions.ts';
import { href } from '../../lib/router.ts';
import type { Session } from '../../lib/session.ts';
import { Card, ErrorBox, Loading } from '../../ui.tsx';
import { BomEditor } from './BomEditor.tsx';
import { RoutingEditor } from './RoutingEditor.tsx';

export interface Item {
  code: string;
  name: string;
  kind: string;
  uom: string;
  standardCost: number;
  leadTimeDays: number;
  reorderPoint: number | null;
  reorderQty: number | null;
  bomVersion?: number | null;
  uoms?: { uom: string; factor: number }[];
  inspectOnReceipt?: boolean;
}

export function ItemDetail({ code, session }: { code: string; session: Session }) {
  const { t } = useTranslation();
  const item = useQuery({ queryKey: ['item', code], queryFn: () => api<Item>(`/api/v1/erp/items/${encodeURIComponent(code)}`) });
  const write = can(session, 'erp.master.write');
  const i = item.data;
  return (
    <div>
      <div className="toolbar">
        <a href={href('master', 'items')}>← {t('master.items')}</a>
        <h1>
          {t('common.item')} {code}
        </h1>
        {i && <span className="muted">{i.name}</span>}
      </div>
      <ErrorBox error={item.error} />
      {item.isPending && <Loading />}
      {i && (
        <div className="grid2">
          <Card title={t('master.settings')}>
            <dl className="facts">
              <dt>{t('master.f.kind')}</dt>
              <dd>{t(`master.kind.${i.kind}`)}</dd>
              <dt>{t('master.f.uom')}</dt>
              <dd>{i.uom}</dd>
              <dt>{t('master.f.standardCost')}</dt>
              <dd data-testid="standard-cost">{fmtMoney(i.standardCost)}</dd>
              <dt>{t('master.f.leadTimeDays')}</dt>
              <dd>{fmtNumber(i.leadTimeDays)}</dd>
            </dl>
            {write ? <ReorderForm item={i} /> : null}
            <Units item={i} write={write} />
          </Card>
          {(can(session, 'erp.master.read') || write) && <BomEditor itemCode={code} write={write} />}
          {can(session, 'mes.master.read') && <RoutingEditor itemCode={code} write={can(session, 'mes.master.write')} />}
        </div>
      )}
    </div>
  );
}

function ReorderForm({ item }: { item: Item }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  return (
    <form
      className="form-row"
      aria-label={t('master.reorder')}
      onSubmit={(e) => {
        const v = formValues(e);
        void submit.send(`/api/v1/erp/items/${encodeURIComponent(item.code)}`, {
          method: 'PATCH',
          body: { reorderPoint: numOr(v.reorderPoint) ?? null, reorderQty: numOr(v.reorderQty) ?? null, leadTimeDays: numOr(v.leadTimeDays) },
        });
      }}
    >
      <Field label={t('master.f.reorderPoint')} name="reorderPoint" error={submit.fields.reorderPoint}>
        <input name="reorderPoint" type="number" min={0} step="any" defaultValue={item.reorderPoint ?? ''} />
      </Field>
      <Field label={t('master.f.reorderQty')} name="reorderQty" error={submit.fields.reorderQty}>
        <input name="reorderQty" type="number" min={0} step="any" defaultValue={item.reorderQty ?? ''} />
      </Field>
      <Field label={t('master.f.leadTimeDays')} name="leadTimeDays" error={submit.fields.leadTimeDays}>
        <input name="leadTimeDays" type="number" min={0} step={1} defaultValue={item.leadTimeDays} />
      </Field>
      <button type="submit" disabled={submit.busy}>
        {t('common.save')}
      </button>
      <SubmitError error={submit.error} shown={['reorderPoint', 'reorderQty', 'leadTimeDays']} />
    </form>
  );
}

function Units({ item, write }: { item: Item; write: boolean }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  return (
    <div>
      <h3>{t('master.units')}</h3>
      <ul className="plain" data-testid="units">
        <li>
          {item.uom} <span className="muted">({t('master.stockUnit')})</span>
        </li>
        {(item.uoms ?? []).filter((u) => u.uom !== item.uom).map((u) => (
          <li key={u.uom}>
            1 {u.uom} = {fmtNumber(u.factor, 6)} {item.uom}
          </li>
        ))}
      </ul>
      {write && (
        <form
          className="form-row"
          aria-label={t('master.addUnit')}
          onSubmit={(e) => {
            const v = formValues(e);
            void submit.send(`/api/v1/erp/items/${encodeURIComponent(item.code)}/uoms`, { method: 'POST', body: { uom: v.uom, factor: numOr(v.factor) } });
          }}
        >
          <Field label={t('master.f.uom')} name="uom" error={submit.fields.uom}>
            <input name="uom" required />
          </Field>
          <Field label={t('master.factor', { uom: item.uom })} name="factor" error={submit.fields.factor}>
            <input name="factor" type="number" min={0} step="any" required />
          </Field>
          <button type="submit" disabled={submit.busy}>
            {t('master.addUnit')}
          </button>
          <SubmitError error={submit.error} shown={['uom', 'factor']} />
        </form>
      )}
    </div>
  );
}
