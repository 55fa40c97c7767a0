import { useTranslation } from 'react-i18next';
import { can } from '../lib/permissions.ts';
import { href, useRoute } from '../lib/router.ts';
import type { Session } from '../lib/session.ts';
import { AlertSettings } from './admin/AlertSettings.tsx';
import { ApiKeys } from './admin/ApiKeys.tsx';
import { Users } from './admin/Users.tsx';

type Tab = 'users' | 'keys' | 'alerts';

/** Administration: users (roles, scope, disable), API keys of devices and connectors, alert routing, rules and webhooks. */
export default function Admin({ session }: { session: Session }) {
  const { t } = useTranslation();
  const route = useRoute();
  const tabs: Tab[] = [...(can(session, 'users.manage') ? (['users', 'keys'] as Tab[]) : []), ...(can(session, 'alerts.manage') ? (['alerts'] as Tab[]) : [])];
  const tab = tabs.find((x) => x === route.path[1]) ?? tabs[0];
  return (
    <div>
      <div className="toolbar">
        <h1>{t('admin.title')}</h1>
      </div>
      <nav className="tabs" aria-label={t('admin.title')}>
        {tabs.map((x) => (
          <a key={x} href={href('admin', x)} className={x === tab ? 'active' : ''} data-tab={x} aria-current={x === tab ? 'page' : undefined}>
            {t(`admin.${x}`)}
          </a>
        ))}
      </nav>
      {tab === 'users' && <Users />}
      {tab === 'keys' && <ApiKeys />}
      {tab === 'alerts' && <AlertSettings />}
    </div>
  );
}
