import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import { can } from '../lib/permissions.ts';
import { useHas } from '../lib/capabilities.ts';
import type { Session } from '../lib/session.ts';
import { fmtDateTime } from '../lib/format.ts';
import { Card, Empty, ErrorBox, Loading, Status } from '../ui.tsx';
import { Timeline, type TraceMessage } from './orders/Timeline.tsx';
import OutsideSystems from './integration/OutsideSystems.tsx';

/** A dead letter as `GET /api/v1/integration/dead-letters` lists it. */
interface DeadLetter {
  id: number;
  source: string;
  messageId: string | null;
  consumer: string | null;
  type: string | null;
  reason: string | null;
  status: 'open' | 'replayed' | 'discarded';
  createdAt: string;
}

export default function Integration({ session }: { session: Session }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [correlationId, setCorrelationId] = useState('');
  const messages = useQuery({
    queryKey: ['messages', correlationId],
    queryFn: () => api<TraceMessage[]>(`/api/v1/integration/messages${qs({ correlationId })}`),
    refetchInterval: 30_000,
  });
  const dead = useQuery({ queryKey: ['dead-letters'], queryFn: () => api<DeadLetter[]>('/api/v1/integration/dead-letters'), refetchInterval: 30_000 });
  const replay = useMutation({
    mutationFn: (id: string) => api(`/api/v1/integration/dead-letters/${encodeURIComponent(id)}/replay`, { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries(),
  });
  const reconcile = useMutation({
    mutationFn: () => api<{ discrepancies: { kind: string; ref: string; erp: unknown; mes: unknown }[] }>('/api/v1/integration/reconcile', { method: 'POST', body: {} }),
  });
  const write = can(session, 'integration.write');
  const hasReconcile = useHas('post', '/api/v1/integration/reconcile');
  const filter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setCorrelationId(String(new FormData(e.currentTarget).get('correlationId') ?? '').trim());
  };
  const list = messages.data ?? [];
  const counts = list.reduce<Record<string, number>>((m, x) => ({ ...m, [x.status]: (m[x.status] ?? 0) + 1 }), {});
  return (
    <div>
      <div className="toolbar">
        <h1>{t('integration.title')}</h1>
        <span className="spacer" />
        {write && hasReconcile && (
          <button type="button" className="primary" onClick={() => reconcile.mutate()} disabled={reconcile.isPending} data-testid="reconcile">
            {reconcile.isPending ? t('common.working') : t('integration.reconcile')}
          </button>
        )}
      </div>
      <ErrorBox error={reconcile.error} />
      {reconcile.data && (
        <Card title={t('integration.reconcileResult')}>
          {reconcile.data.discrepancies.length === 0 ? (
            <p className="ok-text">{t('integration.inSync')}</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('integration.kind')}</th>
                  <th>{t('integration.ref')}</th>
                  <th>ERP</th>
                  <th>MES</th>
                </tr>
              </thead>
              <tbody>
                {reconcile.data.discrepancies.map((d, i) => (
                  <tr key={i}>
                    <td>{d.kind}</td>
                    <td>{d.ref}</td>
                    <td>{JSON.stringify(d.erp)}</td>
                    <td>{JSON.stringify(d.mes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      )}
      <div className="grid2">
        <Card
          title={t('integration.messages')}
          actions={
            <form className="inline" onSubmit={filter}>
              <input name="correlationId" placeholder={t('integration.correlationId')} />
              <button type="submit">{t('common.filter')}</button>
            </form>
          }
        >
          <div className="muted small">
            {Object.entries(counts)
              .map(([k, v]) => `${t(`status.${k}`, { defaultValue: k })}: ${v}`)
              .join(' · ')}
          </div>
          <ErrorBox error={messages.error} />
          {messages.isPending ? <Loading /> : <Timeline messages={list.slice(-100)} />}
        </Card>
        <Card title={t('integration.deadLetters')}>
          <ErrorBox error={dead.error ?? replay.error} />
          {dead.isPending ? (
            <Loading />
          ) : !dead.data?.length ? (
            <Empty />
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('integration.type')}</th>
                  <th>{t('integration.reason')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('integration.at')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {dead.data.map((d) => (
                  <tr key={d.id}>
                    <td>{d.type ?? d.source}</td>
                    <td className="small">{d.reason ?? '—'}</td>
                    <td>
                      <Status value={d.status} />
                    </td>
                    <td>{fmtDateTime(d.createdAt)}</td>
                    <td>
                      {write && d.status === 'open' && (
                        <button type="button" onClick={() => replay.mutate(String(d.id))}>
                          {t('integration.replay')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
      <OutsideSystems />
    </div>
  );
}
