import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { SubmitError, useSubmit } from '../../lib/forms.tsx';
import { Card, Loading } from '../../ui.tsx';
import { ItemSearch } from '../orders/ItemSearch.tsx';

interface Op {
  seq: number;
  name: string;
  workCenter: string;
  setupMinutes: number;
  minutesPerUnit: number;
  alternatives?: string[];
  setupFamily?: string | null;
}
type Row = Record<'seq' | 'name' | 'workCenter' | 'setupMinutes' | 'minutesPerUnit' | 'alternatives' | 'setupFamily', string>;

const toRow = (o: Op): Row => ({ seq: String(o.seq), name: o.name, workCenter: o.workCenter, setupMinutes: String(o.setupMinutes), minutesPerUnit: String(o.minutesPerUnit), alternatives: (o.alternatives ?? []).join(', '), setupFamily: o.setupFamily ?? '' });
const blank = (seq: number): Row => ({ seq: String(seq), name: '', workCenter: '', setupMinutes: '0', minutesPerUnit: '1', alternatives: '', setupFamily: '' });

/** An item's routing: operations in sequence, each at a work centre (alternatives too) with setup and run times. */
export function RoutingEditor({ itemCode, write }: { itemCode: string; write: boolean }) {
  const { t } = useTranslation();
  const routing = useQuery({
    queryKey: ['routing', itemCode],
    queryFn: () =>
      api<{ operations: Op[] }>(`/api/v1/mes/routings/${encodeURIComponent(itemCode)}`).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return { operations: [] };
        throw e;
      }),
  });
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => setRows((routing.data?.operations ?? []).map(toRow)), [routing.data]);
  const [saved, setSaved] = useState(false);
  const submit = useSubmit(() => setSaved(true));
  const set = (i: number, k: keyof Row, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const save = () => {
    setSaved(false);
    const operations = rows.map((r) => {
      const alternatives = r.alternatives.split(/[,\s]+/).filter(Boolean);
      return { seq: Number(r.seq), name: r.name, workCenter: r.workCenter, setupMinutes: Number(r.setupMinutes), minutesPerUnit: Number(r.minutesPerUnit), ...(alternatives.length && { alternatives }), setupFamily: r.setupFamily.trim() || null };
    });
    void submit.send(`/api/v1/mes/routings/${encodeURIComponent(itemCode)}`, { method: 'PUT', body: { operations } });
  };
  const cols: [keyof Row, string, string][] = [
    ['seq', t('routing.seq'), 'number'],
    ['name', t('routing.name'), 'text'],
    ['setupMinutes', t('routing.setupMinutes'), 'number'],
    ['minutesPerUnit', t('routing.minutesPerUnit'), 'number'],
    ['alternatives', t('routing.alternatives'), 'text'],
    ['setupFamily', t('routing.setupFamily'), 'text'],
  ];
  const shown = rows.flatMap((_, i) => [...cols.map(([k]) => `operations.${i}.${k}`), `operations.${i}.workCenter`]);
  return (
    <Card title={t('routing.title')}>
      {routing.isPending && <Loading />}
      {!write && !rows.length && <p className="muted">{t('routing.none')}</p>}
      <div className="stack" data-testid="routing-editor">
        {rows.map((r, i) => (
          <fieldset key={i} className="form-row" disabled={!write} aria-label={`${t('routing.operation')} ${r.seq}`}>
            {cols.slice(0, 2).map(([k, label, type]) => (
              <label key={k}>
                {label}
                <input name={`operations.${i}.${k}`} type={type} value={r[k]} onChange={(e) => set(i, k, e.target.value)} required />
                {submit.fields[`operations.${i}.${k}`] && <span className="field-error">{submit.fields[`operations.${i}.${k}`]}</span>}
              </label>
            ))}
            <ItemSearch label={t('common.workCenter')} name={`operations.${i}.workCenter`} path="/api/v1/mes/work-centers" value={r.workCenter} onChange={(v) => set(i, 'workCenter', v)} error={submit.fields[`operations.${i}.workCenter`]} />
            {cols.slice(2).map(([k, label, type]) => (
              <label key={k}>
                {label}
                <input name={`operations.${i}.${k}`} type={type} min={0} step="any" value={r[k]} onChange={(e) => set(i, k, e.target.value)} />
                {submit.fields[`operations.${i}.${k}`] && <span className="field-error">{submit.fields[`operations.${i}.${k}`]}</span>}
              </label>
            ))}
            {write && (
              <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={t('common.remove')}>
                ✕
              </button>
            )}
          </fieldset>
        ))}
        {/* only once the routing is loaded: its arrival resets the rows, and would drop what was typed before it */}
        {write && !routing.isPending && (
          <div className="form-row">
            <button type="button" onClick={() => setRows([...rows, blank((rows.length + 1) * 10)])} data-action="add-operation">
              + {t('routing.addOperation')}
            </button>
            <button type="button" className="primary" onClick={save} disabled={submit.busy || !rows.length} data-action="save-routing">
              {t('routing.save')}
            </button>
            {saved && (
              <span className="ok-text" role="status" data-testid="routing-saved">
                {t('common.saved')}
              </span>
            )}
          </div>
        )}
        <SubmitError error={submit.error} shown={shown} />
      </div>
    </Card>
  );
}
