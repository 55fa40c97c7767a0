import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api.ts';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { fmtAge, fmtDateTime } from '../lib/format.ts';
import { useAlerts } from '../lib/data.ts';
import { alertMessageText } from '../lib/alert-message.ts';
import { Badge, Card, Empty, ErrorBox, Loading } from '../ui.tsx';

export default function Alerts({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const alerts = useAlerts(true);
  const [openOnly, setOpenOnly] = useState(true);
  const ack = useMutation({
    mutationFn: (id: number) => api(`/api/v1/alerts/${id}/ack`, { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['alerts'] }),
  });
  const list = (alerts.data ?? []).filter((a) => !openOnly || !a.acknowledgedAt);
  const mayAck = can(session, 'alerts.ack');
  return (
    <div>
      <div className="toolbar">
        <h1>{t('alerts.title')}</h1>
        <label>
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> {t('alerts.openOnly')}
        </label>
      </div>
      <Card>
        <ErrorBox error={alerts.error ?? ack.error} />
        {alerts.isPending ? (
          <Loading />
        ) : !list.length ? (
          <Empty>{t('alerts.none')}</Empty>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('alerts.severity')}</th>
                <th>{t('alerts.kind')}</th>
                <th>{t('alerts.ref')}</th>
                <th>{t('alerts.message')}</th>
                <th>{t('alerts.role')}</th>
                <th>{t('alerts.age')}</th>
                <th>{t('alerts.acknowledged')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.id} data-alert={a.id}>
                  <td>
                    <Badge kind={a.severity}>{t(`severity.${a.severity}`, { defaultValue: a.severity })}</Badge>
                  </td>
                  <td>{t(`alertKind.${a.kind}`, { defaultValue: a.kind })}</td>
                  <td>{a.ref}</td>
                  <td data-alert-message>{alertMessageText(i18n, a)}</td>
                  <td>{t(`role.${a.role}`, { defaultValue: a.role })}</td>
                  <td title={fmtDateTime(a.createdAt)}>{fmtAge(a.createdAt)}</td>
                  <td>
                    {a.acknowledgedAt ? (
                      fmtDateTime(a.acknowledgedAt)
                    ) : mayAck ? (
                      <button type="button" onClick={() => ack.mutate(a.id)} disabled={ack.isPending}>
                        {t('alerts.ack')}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
