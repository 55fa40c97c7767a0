import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';
import { useSubmit } from '../../lib/forms.tsx';
import { fmtDateTime, fmtNumber } from '../../lib/format.ts';
import { Empty, ErrorBox, Status } from '../../ui.tsx';

export interface TraceMessage {
  id: string;
  type: string;
  from: string;
  to: string;
  status: 'delivered' | 'failed' | 'dead' | string;
  occurredAt: string;
  deliveredAt?: string | null;
  correlationId?: string;
}
interface DeadLetter {
  id: number;
  messageId?: string;
  status: string;
}

/**
 * An order's message trace as a timeline: each ISA-95 message between ERP and MES in order, a bar
 * as long as its delay (committed → delivered), dead letters in red with a replay button.
 */
export function Timeline({ messages, mayReplay = false }: { messages: TraceMessage[]; mayReplay?: boolean }) {
  const { t } = useTranslation();
  const anyDead = messages.some((m) => m.status === 'dead' || m.status === 'failed');
  const dead = useQuery({
    queryKey: ['dead-letters', 'open'],
    queryFn: () => api<DeadLetter[]>('/api/v1/integration/dead-letters?status=open&limit=500'),
    enabled: anyDead,
  });
  const replay = useSubmit();
  if (!messages.length) return <Empty />;
  const sorted = [...messages].sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));
  const delay = (m: TraceMessage) => (m.deliveredAt ? Math.max(0, new Date(m.deliveredAt).getTime() - new Date(m.occurredAt).getTime()) : null);
  const longest = Math.max(1, ...sorted.map((m) => delay(m) ?? 0));
  return (
    <>
      <ErrorBox error={replay.error} />
      <ol className="timeline" data-testid="timeline">
        {sorted.map((m) => {
          const ms = delay(m);
          const letter = (dead.data ?? []).find((d) => d.messageId === m.id);
          return (
            <li key={m.id} className={`tl-${m.status}`} data-message={m.type} data-status={m.status}>
              <div className="tl-time">{fmtDateTime(m.occurredAt)}</div>
              <div className="tl-body">
                <strong>{m.type}</strong> <span className="muted">{m.from} → {m.to}</span> <Status value={m.status} />
                {ms !== null && <span className="muted small"> {t('integration.latency', { ms: fmtNumber(ms) })}</span>}
                {letter && mayReplay && (
                  <button type="button" className="danger" disabled={replay.busy} onClick={() => void replay.send(`/api/v1/integration/dead-letters/${letter.id}/replay`, { method: 'POST', body: {} })} data-action="replay">
                    {t('timeline.replay')}
                  </button>
                )}
              </div>
              {ms !== null && (
                <div className="tl-delay" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, (ms / longest) * 100)}%` }} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
