import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSubmit } from '../lib/forms.tsx';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import { can } from '../lib/permissions.ts';
import type { Session } from '../lib/session.ts';
import { href, navigate, useRoute } from '../lib/router.ts';
import { fmtDate, fmtNumber } from '../lib/format.ts';
import { lineDelivery, useWorkOrders, type SalesOrder, type SalesOrderLine } from '../lib/data.ts';
import { PagedList } from '../lib/paged.tsx';
import { Badge, Card, Empty, ErrorBox, Loading, Progress, Status } from '../ui.tsx';
import { ChangeDialog } from './orders/ChangeDialog.tsx';
import { NewOrder } from './orders/NewOrder.tsx';
import { Timeline, type TraceMessage } from './orders/Timeline.tsx';
import { WorkOrderGantt } from './orders/WorkOrderGantt.tsx';

export default function Orders({ session }: { session: Session }) {
  const route = useRoute();
  const id = route.path[1];
  if (id === 'new' && can(session, 'erp.sales.write')) return <NewOrder />;
  return id ? <OrderDetail id={id} session={session} /> : <OrderList session={session} />;
}

function orderProgress(o: SalesOrder): number {
  const lines = o.lines ?? [];
  const total = lines.reduce((s, l) => s + Number(l.qty), 0);
  if (!total) return 0;
  return lines.reduce((s, l) => s + Number(l.progress ?? 0) * Number(l.qty), 0) / total;
}

const STATUSES = ['draft', 'released', 'in_production', 'completed', 'shipped', 'cancelled'];

/** The sales orders a page at a time (`?q=` id or customer, sort by id or first due date, the status filter). */
function OrderList({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const open = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const v = String(new FormData(e.currentTarget).get('orderId') ?? '').trim();
    if (v) navigate('orders', v);
  };
  return (
    <div>
      <div className="toolbar">
        <h1>{t('orders.title')}</h1>
        <form onSubmit={open} className="inline">
          <input name="orderId" placeholder={t('orders.openById')} />
          <button type="submit">{t('common.open')}</button>
        </form>
        {can(session, 'erp.sales.write') && (
          <a className="button primary" href={href('orders', 'new')} data-action="new-order">
            + {t('newOrder.title')}
          </a>
        )}
      </div>
      <Card
        actions={
          <label>
            {t('orders.status')}
            <select name="status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('list.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`, { defaultValue: s })}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <PagedList<SalesOrder>
          path="/api/v1/erp/sales-orders"
          params={status ? { status } : {}}
          initialSort="-id"
          testId="sales-orders"
          queryKey="sales-orders"
          refetchInterval={30_000}
          rowKey={(o) => o.id}
          columns={[
            { key: 'id', label: t('orders.id'), sortable: true, render: (o) => <a href={href('orders', o.id)}>{o.id}</a> },
            { key: 'customer', label: t('orders.customer') },
            { key: 'status', label: t('orders.status'), render: (o) => <Status value={o.status} /> },
            { key: 'lines', label: t('orders.lines'), render: (o) => o.lines?.length ?? '—' },
            { key: 'dueDate', label: t('orders.due'), sortable: true, render: (o) => fmtDate((o.lines ?? []).map((l) => l.dueDate).sort()[0]) },
            { key: 'delivery', label: t('orders.delivery'), render: (o) => <Delivery order={o} /> },
            { key: 'progress', label: t('orders.progress'), render: (o) => <Progress value={orderProgress(o)} /> },
          ]}
        />
      </Card>
    </div>
  );
}

/** The worst delivery state of an order's lines. */
function Delivery({ order }: { order: SalesOrder }) {
  const { t } = useTranslation();
  const states = (order.lines ?? []).map((l) => lineDelivery(order, l));
  const worst = (['late', 'atRisk', 'onTime', 'delivered', 'cancelled'] as const).find((s) => states.includes(s));
  return worst ? <Badge kind={worst}>{t(`delivery.${worst}`)}</Badge> : '—';
}

function OrderDetail({ id, session }: { id: string; session: Session }) {
  const { t } = useTranslation();
  const order = useQuery({
    queryKey: ['sales-order', id],
    queryFn: () => api<SalesOrder>(`/api/v1/erp/sales-orders/${encodeURIComponent(id)}`),
    refetchInterval: 15_000,
  });
  const workOrders = useWorkOrders(can(session, 'mes.workorders.read') && !!id, { salesOrder: id });
  const trace = useQuery({
    queryKey: ['messages', id],
    queryFn: () => api<TraceMessage[]>(`/api/v1/integration/messages${qs({ correlationId: id })}`),
    enabled: can(session, 'integration.read'),
  });
  const [changing, setChanging] = useState<SalesOrderLine | null>(null);
  const act = useSubmit();
  const verb = (v: 'approve' | 'cancel' | 'ship') => () => void act.send(`/api/v1/erp/sales-orders/${encodeURIComponent(id)}/${v}`, { method: 'POST', body: {} });
  const o = order.data;
  const write = can(session, 'erp.sales.write');
  return (
    <div>
      <div className="toolbar">
        <a href={href('orders')}>← {t('orders.title')}</a>
        <h1>
          {t('orders.order')} {id}
        </h1>
        {o && <Status value={o.status} />}
        <span className="spacer" />
        {o && write && o.status === 'draft' && (
          <button type="button" className="primary" onClick={verb('approve')} disabled={act.busy} data-action="approve">
            {t('orders.approve')}
          </button>
        )}
        {o && can(session, 'erp.sales.ship') && (o.status === 'completed' || o.status === 'in_production') && (
          <button type="button" onClick={verb('ship')} disabled={act.busy}>
            {t('orders.ship')}
          </button>
        )}
        {o && write && !['shipped', 'cancelled', 'completed'].includes(o.status) && (
          <button type="button" className="danger" onClick={verb('cancel')} disabled={act.busy} data-action="cancel">
            {t('orders.cancel')}
          </button>
        )}
      </div>
      <ErrorBox error={order.error ?? act.error} />
      {order.isPending && <Loading />}
      {o && (
        <Card title={`${t('orders.customer')}: ${o.customer}`}>
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('common.item')}</th>
                <th>{t('common.qty')}</th>
                <th>{t('orders.due')}</th>
                <th>{t('orders.planned')}</th>
                <th>{t('orders.produced')}</th>
                <th style={{ width: '20%' }}>{t('orders.progress')}</th>
                <th>{t('orders.change')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(o.lines ?? []).map((l) => (
                <tr key={l.lineNo} className={`delivery-${lineDelivery(o, l)}`}>
                  <td>{l.lineNo}</td>
                  <td>{l.itemCode}</td>
                  <td>{fmtNumber(l.qty, 3)}</td>
                  <td>{fmtDate(l.dueDate)}</td>
                  <td>
                    {fmtDate(l.plannedStart)} → {fmtDate(l.plannedEnd)}
                  </td>
                  <td>
                    {fmtNumber(l.producedQty, 3)}
                    {Number(l.scrappedQty) > 0 && (
                      <span className="muted">
                        {' '}
                        ({t('terminal.scrap')} {fmtNumber(l.scrappedQty, 3)})
                      </span>
                    )}
                  </td>
                  <td>
                    <Progress value={l.progress} />
                  </td>
                  <td>
                    <Status value={l.changeStatus} />
                    {l.changeReason && <div className="muted small">{l.changeReason}</div>}
                  </td>
                  <td>
                    {write && !['shipped', 'cancelled', 'completed'].includes(o.status) && (
                      <button type="button" onClick={() => setChanging(l)} data-testid={`change-${l.lineNo}`}>
                        {t('orders.changeLine')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {!!workOrders.data?.length && <WorkOrderGantt workOrders={workOrders.data} />}
      {changing && o && <ChangeDialog order={o} line={changing} onClose={() => setChanging(null)} />}
      <div className="grid2">
        <Card title={t('orders.workOrders')}>
          {!workOrders.data?.length ? (
            <Empty />
          ) : (
            <table className="table" data-testid="work-orders">
              <thead>
                <tr>
                  <th>{t('common.workOrder')}</th>
                  <th>{t('common.item')}</th>
                  <th>{t('common.qty')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('orders.operations')}</th>
                </tr>
              </thead>
              <tbody>
                {workOrders.data.map((w) => (
                  <tr key={w.id} data-wo={w.itemCode}>
                    <td>{w.id}</td>
                    <td>{w.itemCode}</td>
                    <td>
                      {fmtNumber(w.goodQty, 3)} / {fmtNumber(w.qty, 3)}
                    </td>
                    <td>
                      <Status value={w.status} />
                    </td>
                    <td>
                      <div className="ops">
                        {w.operations.map((op) => (
                          <span key={op.id} className={`op op-${op.status}`} title={`${op.seq} ${op.name} @ ${op.workCenter}: ${t(`status.${op.status}`)}`}>
                            {op.seq}
                          </span>
                        ))}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        {can(session, 'integration.read') && (
          <Card title={t('orders.trace')}>
            <ErrorBox error={trace.error} />
            <Timeline messages={trace.data ?? []} mayReplay={can(session, 'integration.write')} />
          </Card>
        )}
      </div>
    </div>
  );
}

