import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCapabilities } from '../../lib/capabilities.ts';
import { Field, formValues, numOr, SubmitError, useSubmit } from '../../lib/forms.tsx';
import { PagedList, type Column } from '../../lib/paged.tsx';
import { can } from '../../lib/permissions.ts';
import { href } from '../../lib/router.ts';
import type { Session } from '../../lib/session.ts';
import { ImportExport } from './Import.tsx';
import { RoutingEditor } from './RoutingEditor.tsx';
import { WorkCenterCalendar } from './WorkCenterCalendar.tsx';
import { WorkCenterSetups } from './WorkCenterSetups.tsx';

export interface Tab {
  id: 'items' | 'customers' | 'suppliers' | 'warehouses' | 'workCenters' | 'plants' | 'routings';
  list: string;
  read: string;
  write: string;
  /** The import entity of `POST /api/v1/erp/import/:entity`, where there is one. */
  importAs?: string;
  fields: { name: string; type?: 'number' | 'select' | 'checkbox'; options?: string[]; required?: boolean; optional?: boolean }[];
}

export const TABS: Tab[] = [
  {
    id: 'items', list: '/api/v1/erp/items', read: 'erp.master.read', write: 'erp.master.write', importAs: 'items',
    fields: [
      { name: 'code', required: true }, { name: 'name', required: true }, { name: 'kind', type: 'select', options: ['raw', 'semi', 'finished'] },
      { name: 'uom', required: true }, { name: 'standardCost', type: 'number' }, { name: 'leadTimeDays', type: 'number' },
      { name: 'reorderPoint', type: 'number' }, { name: 'reorderQty', type: 'number' }, { name: 'inspectOnReceipt', type: 'checkbox', optional: true },
    ],
  },
  { id: 'customers', list: '/api/v1/erp/customers', read: 'erp.master.read', write: 'erp.master.write', importAs: 'customers', fields: [{ name: 'code', required: true }, { name: 'name', required: true }] },
  { id: 'suppliers', list: '/api/v1/erp/suppliers', read: 'erp.master.read', write: 'erp.master.write', importAs: 'suppliers', fields: [{ name: 'code', required: true }, { name: 'name', required: true }] },
  { id: 'warehouses', list: '/api/v1/erp/warehouses', read: 'erp.master.read', write: 'erp.master.write', fields: [{ name: 'code', required: true }, { name: 'name', required: true }, { name: 'plant', optional: true }] },
  {
    id: 'workCenters', list: '/api/v1/mes/work-centers', read: 'mes.master.read', write: 'mes.master.write',
    fields: [{ name: 'code', required: true }, { name: 'name', required: true }, { name: 'costPerHour', type: 'number', required: true }, { name: 'laborCostPerHour', type: 'number' }, { name: 'plant' }, { name: 'supplyWarehouse', optional: true }],
  },
  { id: 'plants', list: '/api/v1/mes/plants', read: 'mes.master.read', write: 'mes.master.write', fields: [{ name: 'code', required: true }, { name: 'name', required: true }] },
  { id: 'routings', list: '', read: 'mes.master.read', write: 'mes.master.write', fields: [] },
];

type Row = Record<string, unknown>;

export function MasterTab({ tab, session }: { tab: Tab; session: Session }) {
  const { t } = useTranslation();
  const [calendarOf, setCalendarOf] = useState<string | null>(null);
  const [setupsOf, setSetupsOf] = useState<string | null>(null);
  if (tab.id === 'routings') return <Routings session={session} />;
  const columns: Column<Row>[] = [
    { key: 'code', label: t('master.f.code'), sortable: true, render: (r) => (tab.id === 'items' ? <a href={href('master', 'items', String(r.code))}>{String(r.code)}</a> : String(r.code)) },
    { key: 'name', label: t('master.f.name'), sortable: true },
    ...tab.fields.filter((f) => !['code', 'name'].includes(f.name) && f.type !== 'checkbox').map((f) => ({ key: f.name, label: t(`master.f.${f.name}`) })),
  ];
  if (tab.id === 'workCenters')
    columns.push({
      key: 'calendar',
      label: t('master.calendar'),
      render: (r) => (
        <button type="button" onClick={() => setCalendarOf(String(r.code))} data-calendar={String(r.code)}>
          {t('master.editCalendar')}
        </button>
      ),
    });
  if (tab.id === 'workCenters')
    columns.push({
      key: 'setupMatrix',
      label: t('setups.title'),
      render: (r) => (
        <button type="button" onClick={() => setSetupsOf(String(r.code))} data-setups={String(r.code)}>
          {t('setups.edit')} ({Array.isArray(r.setupMatrix) ? r.setupMatrix.length : 0})
        </button>
      ),
    });
  return (
    <div className="stack">
      {can(session, tab.write) && <CreateForm tab={tab} />}
      {calendarOf && <WorkCenterCalendar code={calendarOf} onClose={() => setCalendarOf(null)} />}
      {setupsOf && <WorkCenterSetups code={setupsOf} write={can(session, tab.write)} onClose={() => setSetupsOf(null)} />}
      <PagedList path={tab.list} columns={columns} rowKey={(r) => String(r.code)} testId={`list-${tab.id}`} />
      {tab.importAs && <ImportExport entity={tab.importAs} mayWrite={can(session, tab.write)} />}
    </div>
  );
}

function CreateForm({ tab }: { tab: Tab }) {
  const { t } = useTranslation();
  const caps = useCapabilities();
  const accepted = caps.data?.bodyFields('post', tab.list) ?? [];
  const [saved, setSaved] = useState<string | null>(null);
  const submit = useSubmit<{ code: string }>((r) => setSaved(r.code));
  // A field the server does not take yet (another branch adds it) is not offered.
  const fields = tab.fields.filter((f) => !f.optional || accepted.includes(f.name));
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    const v = formValues(e);
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      if (f.type === 'checkbox') body[f.name] = v[f.name] === 'on';
      else if (v[f.name] !== undefined) body[f.name] = f.type === 'number' ? numOr(v[f.name]) : v[f.name];
    }
    setSaved(null);
    void submit.send(tab.list, { method: 'POST', body }).then((r) => r && (e.target as HTMLFormElement).reset());
  };
  return (
    <form className="form-row" onSubmit={onSubmit} data-testid={`create-${tab.id}`} aria-label={t('master.create')}>
      {fields.map((f) => (
        <Field key={f.name} label={t(`master.f.${f.name}`)} name={f.name} error={submit.fields[f.name]}>
          {f.type === 'select' ? (
            <select name={f.name} defaultValue={f.options?.[0]}>
              {f.options?.map((o) => (
                <option key={o} value={o}>
                  {t(`master.kind.${o}`)}
                </option>
              ))}
            </select>
          ) : f.type === 'checkbox' ? (
            <input type="checkbox" name={f.name} />
          ) : (
            <input name={f.name} type={f.type === 'number' ? 'number' : 'text'} step="any" min={f.type === 'number' ? 0 : undefined} required={f.required} aria-invalid={!!submit.fields[f.name]} />
          )}
        </Field>
      ))}
      <button type="submit" className="primary" disabled={submit.busy}>
        {t('master.create')}
      </button>
      {saved && (
        <span className="ok-text" role="status">
          {t('master.saved', { code: saved })}
        </span>
      )}
      <SubmitError error={submit.error} shown={fields.map((f) => f.name)} />
    </form>
  );
}

/** Routings by item code (for the shop floor's engineers, who may not read the ERP's item list). */
function Routings({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  return (
    <div className="stack">
      <form className="form-row" aria-label={t('routing.title')} onSubmit={(e) => setCode(formValues(e).itemCode ?? '')}>
        <Field label={t('common.item')} name="itemCode">
          <input name="itemCode" required />
        </Field>
        <button type="submit">{t('common.open')}</button>
      </form>
      {code && <RoutingEditor key={code} itemCode={code} write={can(session, 'mes.master.write')} />}
    </div>
  );
}
