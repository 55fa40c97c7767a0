import { useTranslation } from 'react-i18next';
import { alertMessageText } from '../../lib/alert-message.ts';
import type { Alert } from '../../lib/data.ts';
import { fmtAge } from '../../lib/format.ts';
import { Badge, Card, Empty } from '../../ui.tsx';

/** The newest open alerts: those about stock (reorder, shortage) with their message, and all of them by severity. */
export function AlertLists({ openAlerts }: { openAlerts: Alert[] }) {
  const { t, i18n } = useTranslation();
  const inventoryAlerts = openAlerts.filter((a) => a.kind === 'reorder' || a.kind === 'shortage');
  return (
    <div className="grid2">
      <Card title={t('cockpit.inventoryAlerts')}>
        {inventoryAlerts.length ? (
          <ul className="plain">
            {inventoryAlerts.slice(0, 8).map((a) => (
              <li key={a.id}>
                <Badge kind={a.severity}>{t(`alertKind.${a.kind}`, { defaultValue: a.kind })}</Badge> {a.ref} — <span data-alert-message>{alertMessageText(i18n, a)}</span>{' '}
                <span className="muted">{fmtAge(a.createdAt)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t('alerts.none')}</Empty>
        )}
      </Card>
      <Card title={t('cockpit.openAlertsList')}>
        {openAlerts.length ? (
          <ul className="plain">
            {openAlerts.slice(0, 8).map((a) => (
              <li key={a.id}>
                <Badge kind={a.severity}>{t(`severity.${a.severity}`, { defaultValue: a.severity })}</Badge>{' '}
                {t(`alertKind.${a.kind}`, { defaultValue: a.kind })} {a.ref} <span className="muted">{fmtAge(a.createdAt)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t('alerts.none')}</Empty>
        )}
      </Card>
    </div>
  );
}
