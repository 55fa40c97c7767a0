import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { SubmitError, useSubmit } from '../../lib/forms.tsx';
import { Card, Loading } from '../../ui.tsx';

interface Shift {
  day: number;
  from: string;
  to: string;
}

/** A work centre's shift calendar: shifts per weekday (1 = Monday), saved with `PATCH /api/v1/mes/work-centers/:code`. */
export function WorkCenterCalendar({ code, onClose }: { code: string; onClose: () => void }) {
  const { t } = useTranslation();
  const wc = useQuery({ queryKey: ['work-center', code], queryFn: () => api<{ calendar?: { shifts?: Shift[] } | null }>(`/api/v1/mes/work-centers/${encodeURIComponent(code)}`) });
  const [shifts, setShifts] = useState<Shift[]>([]);
  useEffect(() => setShifts(wc.data?.calendar?.shifts ?? []), [wc.data]);
  const submit = useSubmit(onClose);
  const set = (i: number, s: Partial<Shift>) => setShifts(shifts.map((x, j) => (j === i ? { ...x, ...s } : x)));
  return (
    <Card title={`${t('master.calendar')}: ${code}`} actions={<button type="button" onClick={onClose}>{t('common.close')}</button>}>
      {wc.isPending && <Loading />}
      <div className="stack" data-testid="calendar">
        {shifts.map((s, i) => (
          <div className="form-row" key={i}>
            <label>
              {t('calendar.day')}
              <select name={`shifts.${i}.day`} value={s.day} onChange={(e) => set(i, { day: Number(e.target.value) })}>
                {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                  <option key={d} value={d}>
                    {t(`calendar.d${d}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('calendar.from')}
              <input name={`shifts.${i}.from`} type="time" value={s.from} onChange={(e) => set(i, { from: e.target.value })} />
            </label>
            <label>
              {t('calendar.to')}
              <input name={`shifts.${i}.to`} type="time" value={s.to} onChange={(e) => set(i, { to: e.target.value })} />
            </label>
            <button type="button" onClick={() => setShifts(shifts.filter((_, j) => j !== i))} aria-label={t('common.remove')}>
              ✕
            </button>
          </div>
        ))}
        <div className="form-row">
          <button type="button" onClick={() => setShifts([...shifts, { day: 1, from: '08:00', to: '16:00' }])}>
            + {t('calendar.addShift')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={submit.busy}
            onClick={() => void submit.send(`/api/v1/mes/work-centers/${encodeURIComponent(code)}`, { method: 'PATCH', body: { calendar: { shifts } } })}
          >
            {t('common.save')}
          </button>
        </div>
        <SubmitError error={submit.error} />
      </div>
    </Card>
  );
}
