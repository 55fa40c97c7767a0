import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../lib/format.ts';
import * as queue from '../../lib/offline-queue.ts';

/** What this terminal has not sent yet (offline or on its way), and what the server refused. */
export function PendingPanel({ pending, failed, online }: { pending: queue.QueuedAction[]; failed: queue.QueuedAction[]; online: boolean }) {
  const { t } = useTranslation();
  if (!pending.length && !failed.length) return null;
  return (
    <section className={`card pending-panel ${online ? '' : 'offline'}`} data-testid="pending">
      {pending.length > 0 && (
        <>
          <header className="card-head">
            <h2>{t('terminal.pending', { count: pending.length })}</h2>
            <button type="button" className="touch" onClick={() => void queue.flush()}>
              {t('terminal.sendNow')}
            </button>
          </header>
          <ol className="plain">
            {pending.map((a) => (
              <li key={a.key} data-pending-key={a.key}>
                {t(a.label.key, a.label.values)} <span className="muted small">{fmtDateTime(a.createdAt)}</span>
                {a.attempts > 0 && <span className="muted small"> · {t('terminal.attempts', { count: a.attempts })}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
      {failed.length > 0 && (
        <>
          <h2>{t('terminal.refused')}</h2>
          <ul className="plain">
            {failed.map((a) => (
              <li key={a.key} className="error">
                {t(a.label.key, a.label.values)}: {a.error}{' '}
                <button type="button" onClick={() => queue.dismissFailed(a.key)}>
                  {t('common.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
