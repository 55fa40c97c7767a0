import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api.ts';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { fmtAge, fmtNumber } from '../lib/format.ts';
import { useOpenAlerts, useWorkOrders } from '../lib/data.ts';
import { alertMessageText } from '../lib/alert-message.ts';
import { Badge, Card, Empty, ErrorBox } from '../ui.tsx';

/** `POST /api/v1/mes/inspections`. */
interface InspectionBody {
  workOrder: string;
  result: string;
  lot?: string;
  note?: string;
  defects?: { code: string; qty: number }[];
}
interface Done {
  at: string;
  text: string;
}

export default function Quality({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  // the newest finished work orders and the open holds: what an inspector works through
  const workOrders = useWorkOrders(can(session, 'mes.workorders.read'), { status: 'completed', sort: '-completedAt', limit: 20 });
  const alerts = useOpenAlerts(can(session, 'alerts.read'), 'quality_hold');
  const [log, setLog] = useState<Done[]>([]);
  const [defects, setDefects] = useState<{ code: string; qty: string }[]>([{ code: '', qty: '' }]);
  const [prefill, setPrefill] = useState<{ workOrder: string; lot: string }>({ workOrder: '', lot: '' });

  const finished = useMemo(
    () =>
      (workOrders.data ?? [])
        .filter((w) => (w.outputLots ?? []).length > 0)
        .flatMap((w) => (w.outputLots ?? []).map((l) => ({ wo: w, lot: l })))
        .slice(0, 20),
    [workOrders.data],
  );
  const holds = (alerts.data ?? []).filter((a) => !a.acknowledgedAt);

  const inspect = useMutation({
    mutationFn: (body: InspectionBody) => api('/api/v1/mes/inspections', { method: 'POST', body }),
    onSuccess: (_r, body) => {
      setLog((l) => [{ at: new Date().toISOString(), text: t('quality.inspected', { wo: body.workOrder, lot: body.lot ?? '—', result: t(`quality.${body.result}`) }) }, ...l]);
      void qc.invalidateQueries();
    },
  });
  const dispose = useMutation({
    mutationFn: (v: { lot: string; decision: 'release' | 'reject' }) =>
      api(`/api/v1/mes/lots/${encodeURIComponent(v.lot)}/disposition`, { method: 'POST', body: { decision: v.decision } }),
    onSuccess: (_r, v) => {
      setLog((l) => [{ at: new Date().toISOString(), text: t('quality.disposed', { lot: v.lot, decision: t(`quality.${v.decision}`) }) }, ...l]);
      void qc.invalidateQueries();
    },
  });

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: InspectionBody = { workOrder: String(f.get('workOrder')).trim(), result: String(f.get('result')) };
    const lot = String(f.get('lot') ?? '').trim();
    if (lot) body.lot = lot;
    const note = String(f.get('note') ?? '').trim();
    if (note) body.note = note;
    const d = defects.filter((x) => x.code.trim() && Number(x.qty) > 0).map((x) => ({ code: x.code.trim(), qty: Number(x.qty) }));
    if (d.length) body.defects = d;
    inspect.mutate(body);
  };
  const disposition = (e: FormEvent<HTMLFormElement>, decision: 'release' | 'reject') => {
    e.preventDefault();
    const lot = String(new FormData(e.currentTarget).get('dispLot') ?? '').trim();
    if (lot) dispose.mutate({ lot, decision });
  };

  return (
    <div>
      <div className="toolbar">
        <h1>{t('quality.title')}</h1>
      </div>
      <div className="grid2">
        <Card title={t('quality.inspection')}>
          <form onSubmit={submit} className="stack" key={`${prefill.workOrder}/${prefill.lot}`}>
            <div className="form-row">
              <label>
                {t('common.workOrder')}
                <input name="workOrder" required defaultValue={prefill.workOrder} />
              </label>
              <label>
                {t('common.lot')}
                <input name="lot" defaultValue={prefill.lot} />
              </label>
              <label>
                {t('quality.result')}
                <select name="result" defaultValue="pass">
                  <option value="pass">{t('quality.pass')}</option>
                  <option value="fail">{t('quality.fail')}</option>
                </select>
              </label>
            </div>
            <fieldset>
              <legend>{t('quality.defects')}</legend>
              {defects.map((d, i) => (
                <div className="form-row" key={i}>
                  <input placeholder={t('quality.defectCode')} value={d.code} onChange={(e) => setDefects(defects.map((x, j) => (j === i ? { ...x, code: e.target.value } : x)))} />
                  <input
                    type="number"
                    min={0}
                    step="any"
                    placeholder={t('common.qty')}
                    value={d.qty}
                    onChange={(e) => setDefects(defects.map((x, j) => (j === i ? { ...x, qty: e.target.value } : x)))}
                  />
                </div>
              ))}
              <button type="button" className="link" onClick={() => setDefects([...defects, { code: '', qty: '' }])}>
                + {t('quality.addDefect')}
              </button>
            </fieldset>
            <label>
              {t('quality.note')}
              <input name="note" />
            </label>
            <ErrorBox error={inspect.error} />
            <button type="submit" className="primary" disabled={inspect.isPending}>
              {t('quality.record')}
            </button>
          </form>
        </Card>
        <Card title={t('quality.disposition')}>
          <form className="form-row" onSubmit={(e) => disposition(e, 'release')}>
            <label>
              {t('common.lot')}
              <input name="dispLot" required />
            </label>
            <button type="submit" className="primary">
              {t('quality.release')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={(e) => {
                const form = (e.currentTarget as HTMLButtonElement).form;
                const lot = form ? String(new FormData(form).get('dispLot') ?? '').trim() : '';
                if (lot) dispose.mutate({ lot, decision: 'reject' });
              }}
            >
              {t('quality.reject')}
            </button>
          </form>
          <ErrorBox error={dispose.error} />
          <h3>{t('quality.holds')}</h3>
          {holds.length ? (
            <ul className="plain">
              {holds.map((a) => (
                <li key={a.id}>
                  <Badge kind="hold">{t('status.hold')}</Badge> {a.ref} — <span data-alert-message>{alertMessageText(i18n, a)}</span>{' '}
                  <span className="muted">{fmtAge(a.createdAt)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </Card>
      </div>
      <div className="grid2">
        <Card title={t('quality.recentLots')}>
          {finished.length ? (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('common.lot')}</th>
                  <th>{t('common.item')}</th>
                  <th>{t('common.qty')}</th>
                  <th>{t('common.workOrder')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {finished.map(({ wo, lot }) => (
                  <tr key={lot.lot}>
                    <td>{lot.lot}</td>
                    <td>{wo.itemCode}</td>
                    <td>{fmtNumber(lot.qty, 3)}</td>
                    <td>{wo.id}</td>
                    <td>
                      <button type="button" onClick={() => setPrefill({ workOrder: wo.id, lot: lot.lot })}>
                        {t('quality.inspect')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty />
          )}
        </Card>
        <Card title={t('quality.log')}>
          {log.length ? (
            <ul className="plain">
              {log.map((l, i) => (
                <li key={i}>
                  <span className="muted small">{fmtAge(l.at)}</span> {l.text}
                </li>
              ))}
            </ul>
          ) : (
            <Empty />
          )}
        </Card>
      </div>
    </div>
  );
}
