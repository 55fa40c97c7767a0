import { useTranslation } from 'react-i18next';
import { can } from '../lib/permissions.ts';
import { href, useRoute } from '../lib/router.ts';
import type { Session } from '../lib/session.ts';
import { PurchaseOrderDetail, PurchaseOrders } from './purchasing/Orders.tsx';
import { Requisitions } from './purchasing/Requisitions.tsx';
import { StockMoves } from './purchasing/Stock.tsx';

type Tab = 'requisitions' | 'orders' | 'stock';

/** Purchasing and stock: requisitions → purchase orders → receipts; transfers, adjustments, incoming inspection. */
export default function Purchasing({ session }: { session: Session }) {
  const { t } = useTranslation();
  const route = useRoute();
  const tabs: Tab[] = [
    ...(can(session, 'erp.purchasing.read') ? (['requisitions', 'orders'] as Tab[]) : []),
    ...(can(session, 'erp.inventory.write') || can(session, 'mes.quality.write') ? (['stock'] as Tab[]) : []),
  ];
  const tab: Tab = (tabs as string[]).includes(route.path[1] ?? '') ? (route.path[1] as Tab) : tabs[0];
  if (tab === 'orders' && route.path[2]) return <PurchaseOrderDetail id={route.path[2]} session={session} />;
  return (
    <div>
      <div className="toolbar">
        <h1>{t('purchasing.title')}</h1>
      </div>
      <nav className="tabs" aria-label={t('purchasing.title')}>
        {tabs.map((x) => (
          <a key={x} href={href('purchasing', x)} className={x === tab ? 'active' : ''} data-tab={x} aria-current={x === tab ? 'page' : undefined}>
            {t(`purchasing.${x}`)}
          </a>
        ))}
      </nav>
      {tab === 'requisitions' && <Requisitions session={session} />}
      {tab === 'orders' && <PurchaseOrders />}
      {tab === 'stock' && <StockMoves session={session} />}
    </div>
  );
}
