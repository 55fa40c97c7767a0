import { type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import { useCapabilities } from '../lib/capabilities.ts';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { href, navigate, useRoute } from '../lib/router.ts';
import { fmtNumber } from '../lib/format.ts';
import { Card, Empty, ErrorBox, Loading, Status } from '../ui.tsx';

interface Stock {
  itemCode: string;
  onHand: number;
  available: number;
  onHold: number;
  reserved: number;
  lots: { lot: string; qty: number; status: string }[];
}
interface TraceNode {
  lot: string;
  itemCode: string;
  qty: number;
  workOrder?: string;
  supplier?: string;
  salesOrders?: string[];
  children: TraceNode[];
}

export default function Inventory({ session }: { session: Session }) {
  const { t } = useTranslation();
  const route = useRoute();
  const item = route.path[1] ?? '';
  const lot = route.params.get('lot') ?? '';
  const direction = route.params.get('direction') === 'forward' ? 'forward' : 'backward';
  const caps = useCapabilities();
  const items = useQuery({
    queryKey: ['items'],
    queryFn: () => api<{ code: string; name: string }[]>('/api/v1/erp/items?limit=200'),
    enabled: (caps.data?.has('get', '/api/v1/erp/items') ?? false) && can(session, 'erp.master.read'),
    staleTime: 60_000,
  });
  const stock = useQuery({
    queryKey: ['inventory', item],
    queryFn: () => api<Stock>(`/api/v1/erp/inventory/${encodeURIComponent(item)}`),
    enabled: !!item,
  });
  const trace = useQuery({
    queryKey: ['trace', lot, direction],
    queryFn: () => api<TraceNode>(`/api/v1/trace/lots/${encodeURIComponent(lot)}${qs({ direction })}`),
    enabled: !!lot && can(session, 'trace.read'),
  });
  const open = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = String(new FormData(e.currentTarget).get('itemCode') ?? '').trim();
    if (v) navigate('inventory', v);
  };
  const traceHref = (l: string, d: string) => `${href('inventory', item)}?${new URLSearchParams({ lot: l, direction: d })}`;
  const s = stock.data;
  return (
    <div>
      <div className="toolbar">
        <h1>{t('inventory.title')}</h1>
        <form className="inline" onSubmit={open}>
          <input name="itemCode" list="item-codes" placeholder={t('inventory.itemCode')} defaultValue={item} key={item} />
          <datalist id="item-codes">
            {(items.data ?? []).map((i) => (
              <option key={i.code} value={i.code}>
                {i.name}
              </option>
            ))}
          </datalist>
          <button type="submit">{t('common.open')}</button>
        </form>
      </div>
      {!item && <Empty>{t('inventory.hint')}</Empty>}
      <ErrorBox error={stock.error} />
      {stock.isFetching && !s && <Loading />}
      {s && (
        <div className="grid2">
          <Card title={`${t('common.item')} ${s.itemCode}`}>
            <div className="stats">
              {(['onHand', 'available', 'onHold', 'reserved'] as const).map((k) => (
                <div key={k} className="stat">
                  <div className="muted small">{t(`inventory.${k}`)}</div>
                  <div className="stat-value" data-stock={k}>
                    {fmtNumber(s[k], 3)}
                  </div>
                </div>
              ))}
            </div>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('common.lot')}</th>
                  <th>{t('common.qty')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('inventory.genealogy')}</th>
                </tr>
              </thead>
              <tbody>
                {s.lots.map((l) => (
                  <tr key={l.lot} className={l.lot === lot ? 'selected' : ''}>
                    <td>{l.lot}</td>
                    <td>{fmtNumber(l.qty, 3)}</td>
                    <td>
                      <Status value={l.status} />
                    </td>
                    <td>
                      {can(session, 'trace.read') && (
                        <>
                          <a href={traceHref(l.lot, 'backward')}>{t('inventory.backward')}</a> · <a href={traceHref(l.lot, 'forward')}>{t('inventory.forward')}</a>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          {lot && (
            <Card title={`${t('inventory.genealogy')}: ${lot} (${t(`inventory.${direction}`)})`}>
              <ErrorBox error={trace.error} />
              {trace.isFetching && !trace.data && <Loading />}
              {trace.data && (
                <ul className="tree" data-testid="genealogy">
                  <TreeNode node={trace.data} />
                </ul>
              )}
            </Card>
          )}
        </div>
      )}
    </div>
  );
}

function TreeNode({ node }: { node: TraceNode }) {
  const { t } = useTranslation();
  return (
    <li>
      <div className="tree-node">
        <strong>{node.lot}</strong> · {node.itemCode} · {fmtNumber(node.qty, 3)}
        {node.workOrder && (
          <span className="muted">
            {' '}
            · {t('common.workOrder')} {node.workOrder}
          </span>
        )}
        {node.supplier && (
          <span className="muted">
            {' '}
            · {t('inventory.supplier')} {node.supplier}
          </span>
        )}
        {node.salesOrders?.length ? (
          <span className="muted">
            {' '}
            · {t('orders.order')} {node.salesOrders.join(', ')}
          </span>
        ) : null}
      </div>
      {node.children?.length > 0 && (
        <ul>
          {node.children.map((c, i) => (
            <TreeNode key={`${c.lot}-${i}`} node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}
