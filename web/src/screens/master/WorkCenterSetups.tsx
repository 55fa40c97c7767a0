import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { SubmitError, useSubmit } from '../../lib/forms.tsx';
import { Card, Loading } from '../../ui.tsx';

interface Change {
  from: string;
  to: string;
  minutes: number;
}

/**
 * A work centre's changeover matrix: minutes to go from one setup family to another (routing
 * operations name their family), which the scheduler plans before an operation; saved with
 * `PATCH /api/v1/mes/work-centers/:code`.
 */
export function WorkCenterSetups({ code, write, onClose }: { code: string; write: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const wc = useQuery({ queryKey: ['work-center', code], queryFn: () => api<{ setupMatrix?: Change[] }>(`/api/v1/mes/work-centers/${encodeURIComponent(code)}`) });
  const [rows, setRows] = useState<Change[]>([]);
  useEffect(() => setRows(wc.data?.setupMatrix ?? []), [wc.data]);
  const submit = useSubmit(onClose);
  const set = (i: number, c: Partial<Change>) => setRows(rows.map((x, j) => (j === i ? { ...x, ...c } : x)));
  const shown = rows.flatMap((_, i) => [`setupMatrix.${i}.from`, `setupMatrix.${i}.to`, `setupMatrix.${i}.minutes`, `setupMatrix[${i}]`]);
  return (
    <Card title={`${t('setups.title')}: ${code}`} actions={<button type="button" onClick={onClose}>{t('common.close')}</button>}>
      {wc.isPending && <Loading />}
      <div className="stack" data-testid="setups">
        {rows.map((c, i) => (
          <fieldset className="form-row" key={i} disabled={!write}>
            <label>
              {t('setups.from')}
              <input name={`setupMatrix.${i}.from`} value={c.from} maxLength={64} required onChange={(e) => set(i, { from: e.target.value })} />
            </label>
            <label>
              {t('setups.to')}
              <input name={`setupMatrix.${i}.to`} value={c.to} maxLength={64} required onChange={(e) => set(i, { to: e.target.value })} />
            </label>
            <label>
              {t('setups.minutes')}
              <input name={`setupMatrix.${i}.minutes`} type="number" min={0} step="any" value={c.minutes} onChange={(e) => set(i, { minutes: Number(e.target.value) })} />
            </label>
            {(submit.fields[`setupMatrix[${i}]`] || submit.fields[`setupMatrix.${i}.minutes`]) && (
              <span className="field-error">{submit.fields[`setupMatrix[${i}]`] ?? submit.fields[`setupMatrix.${i}.minutes`]}</span>
            )}
            <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={t('common.remove')}>
              ✕
            </button>
          </fieldset>
        ))}
        {write && (
          <div className="form-row">
            <button type="button" onClick={() => setRows([...rows, { from: '', to: '', minutes: 0 }])} data-action="add-setup">
              + {t('setups.add')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={submit.busy}
              data-action="save-setups"
              onClick={() => void submit.send(`/api/v1/mes/work-centers/${encodeURIComponent(code)}`, { method: 'PATCH', body: { setupMatrix: rows } })}
            >
              {t('common.save')}
            </button>
          </div>
        )}
        <SubmitError error={submit.error} shown={shown} />
      </div>
    </Card>
  );
}
