import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../lib/api.ts';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { fmtAge, fmtDateTime } from '../lib/format.ts';
import type { Alert } from '../lib/data.ts';
import { alertMessageText } from '../lib/alert-message.ts';
import { PagedList } from '../lib/paged.tsx';
import { Badge, Card, ErrorBox } from '../ui.tsx';

const KINDS = ['reorder', 'shortage', 'quality_hold', 'equipment_down', 'late_order', 'integration_failure', 'reconciliation', 'rule'];

/** The reader's alerts a page at a time (`?q=` ref, message or kind; sort by severity or age), open ones or all, of one kind or every kind. */
export default function Alerts({ session }: { session: Session }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [openOnly, setOpenOnly] = useState(true);
  const [kind, setKind] = useState('');
  const ack = useMutation({
    mutationFn: (id: number) => api(`/api/v1/alerts/${id}/ack`, { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['alerts'] }),
  });
  const mayAck = can(session, 'alerts.ack');
  return (
    <div>
      <div className="toolbar">
        <h1>{t('alerts.title')}</h1>
        <label>
          <input type="checkbox" name="openOnly" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> {t('alerts.openOnly')}
        </label>
        <label>
          {t('alerts.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('list.all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`alertKind.${k}`, { defaultValue: k })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Card>
        <ErrorBox error={ack.error} />
        <PagedList<Alert>
          path="/api/v1/alerts"
          params={{ ...(openOnly ? { open: 'true' } : {}), ...(kind ? { kind } : {}) }}
          initialSort="-id"
          testId="alerts"
          empty={t('alerts.none')}
          queryKey="alerts"
          refetchInterval={30_000}
          rowKey={(a) => String(a.id)}
          columns={[
            { key: 'severity', label: t('alerts.severity'), sortable: true, render: (a) => <Badge kind={a.severity}>{t(`severity.${a.severity}`, { defaultValue: a.severity })}</Badge> },
            { key: 'kind', label: t('alerts.kind'), render: (a) => t(`alertKind.${a.kind}`, { defaultValue: a.kind }) },
            { key: 'ref', label: t('alerts.ref') },
            { key: 'message', label: t('alerts.message'), render: (a) => <span data-alert-message>{alertMessageText(i18n, a)}</span> },
            { key: 'role', label: t('alerts.role'), render: (a) => t(`role.${a.role}`, { defaultValue: a.role }) },
            { key: 'id', label: t('alerts.age'), sortable: true, render: (a) => <span title={fmtDateTime(a.createdAt)}>{fmtAge(a.createdAt)}</span> },
            {
              key: 'acknowledged',
              label: t('alerts.acknowledged'),
              render: (a) =>
                a.acknowledgedAt ? (
                  fmtDateTime(a.acknowledgedAt)
                ) : mayAck ? (
                  <button type="button" data-action="ack" onClick={() => ack.mutate(a.id)} disabled={ack.isPending}>
                    {t('alerts.ack')}
                  </button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
