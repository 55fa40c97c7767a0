import { useTranslation } from 'react-i18next';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { href, useRoute } from '../lib/router.ts';
import { Card } from '../ui.tsx';
import { ItemDetail } from './master/ItemDetail.tsx';
import { MasterTab, TABS, type Tab } from './master/tabs.tsx';

/** Master data: items (units, reorder, BOM, routing), customers, suppliers, warehouses, work centres, plants. */
export default function Master({ session }: { session: Session }) {
  const { t } = useTranslation();
  const route = useRoute();
  const visible = TABS.filter((tab) => can(session, tab.read));
  const tab: Tab = visible.find((x) => x.id === route.path[1]) ?? visible[0];
  if (tab?.id === 'items' && route.path[2]) return <ItemDetail code={route.path[2]} session={session} />;
  return (
    <div>
      <div className="toolbar">
        <h1>{t('master.title')}</h1>
      </div>
      <nav className="tabs" aria-label={t('master.title')}>
        {visible.map((x) => (
          <a key={x.id} href={href('master', x.id)} className={x.id === tab?.id ? 'active' : ''} data-tab={x.id} aria-current={x.id === tab?.id ? 'page' : undefined}>
            {t(`master.${x.id}`)}
          </a>
        ))}
      </nav>
      {tab && (
        <Card>
          <MasterTab key={tab.id} tab={tab} session={session} />
        </Card>
      )}
    </div>
  );
}
