import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../lib/api.ts';
import { can } from '../lib/roles.ts';
import type { Session } from '../lib/session.ts';
import { href, navigate, useRoute } from '../lib/router.ts';
import { fmtDate, fmtDateTime, fmtNumber } from '../lib/format.ts';
import { lineDelivery, useSalesOrders, useWorkOrders, type SalesOrder, type SalesOrderLine } from '../lib/data.ts';
import { Badge, Card, Empty, ErrorBox, Loading, Progress, Status } from '../ui.tsx';

export default function Orders({ session }: { session: Session }) {
  const route = useRoute();
  const id = route.path[1];
  return id ? <OrderDetail id={id} session={session} /> : <OrderList session={session} />;
}

function orderProgress(o: SalesOrder): number {
  const lines = o.lines ?? [];
  const total = lines.reduce((s, l) => s + Number(l.qty), 0);
  if (!total) return 0;
  return lines.reduce((s, l) => s + Number(l.progress ?? 0) * Number(l.qty), 0) / total;
}

function OrderList({ session }: { session: Session }) {
  const { t } = useTranslation();
  const orders = useSalesOrders(true, can(session.roles, 'mes.workorders.read'));
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
      </div>
      <Card>
        <ErrorBox error={orders.error} />
        {orders.isPending ? (
          <Loading />
        ) : !orders.data?.length ? (
          <Empty />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t('orders.id')}</th>
                <th>{t('orders.customer')}</th>
                <th>{t('orders.status')}</th>
                <th>{t('orders.lines')}</th>
                <th>{t('orders.due')}</th>
                <th>{t('orders.delivery')}</th>
                <th style={{ width: '25%' }}>{t('orders.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {orders.data.map((o) => {
                const due = (o.lines ?? []).map((l) => l.dueDate).sort()[0];
                const states = (o.lines ?? []).map((l) => lineDelivery(o, l));
                const worst = (['late', 'atRisk', 'onTime', 'delivered', 'cancelled'] as const).find((s) => states.includes(s));
                return (
                  <tr key={o.id}>
                    <td>
                      <a href={href('orders', o.id)}>{o.id}</a>
                    </td>
                    <td>{o.customer}</td>
                    <td>
                      <Status value={o.status} />
                    </td>
                    <td>{o.lines?.length ?? '—'}</td>
                    <td>{fmtDate(due)}</td>
                    <td>{worst ? <Badge kind={worst}>{t(`delivery.${worst}`)}</Badge> : '—'}</td>
                    <td>
                      <Progress value={orderProgress(o)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

function OrderDetail({ id, session }: { id: string; session: Session }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const order = useQuery({
    queryKey: ['sales-order', id],
    queryFn: () => api<SalesOrder>(`/api/v1/erp/sales-orders/${encodeURIComponent(id)}`),
    refetchInterval: 15_000,
  });
  const workOrders = useWorkOrders(can(session.roles, 'mes.workorders.read'), id);
  const trace = useQuery({
    queryKey: ['messages', id],
    queryFn: () => api<any[]>(`/api/v1/integration/messages${qs({ correlationId: id })}`),
    enabled: can(session.roles, 'integration.read'),
  });
  const [changing, setChanging] = useState<SalesOrderLine | null>(null);
  const act = useMutation({
    mutationFn: (verb: 'approve' | 'cancel' | 'ship') => api(`/api/v1/erp/sales-orders/${encodeURIComponent(id)}/${verb}`, { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries(),
  });
  const o = order.data;
  const write = can(session.roles, 'erp.sales.write');
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
          <button type="button" className="primary" onClick={() => act.mutate('approve')}>
            {t('orders.approve')}
          </button>
        )}
        {o && can(session.roles, 'erp.sales.ship') && (o.status === 'completed' || o.status === 'in_production') && (
          <button type="button" onClick={() => act.mutate('ship')}>
            {t('orders.ship')}
          </button>
        )}
        {o && write && !['shipped', 'cancelled', 'completed'].includes(o.status) && (
          <button type="button" className="danger" onClick={() => act.mutate('cancel')}>
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
      {changing && o && <ChangeDialog order={o} line={changing} onClose={() => setChanging(null)} />}
      <div className="grid2">
        <Card title={t('orders.workOrders')}>
          {!workOrders.data?.length ? (
            <Empty />
          ) : (
            <table className="table">
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
                  <tr key={w.id}>
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
        {can(session.roles, 'integration.read') && (
          <Card title={t('orders.trace')}>
            <ErrorBox error={trace.error} />
            <Timeline messages={trace.data ?? []} />
          </Card>
        )}
      </div>
    </div>
  );
}

export function Timeline({ messages }: { messages: any[] }) {
  const { t } = useTranslation();
  if (!messages.length) return <Empty />;
  const sorted = [...messages].sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));
  return (
    <ol className="timeline" data-testid="timeline">
      {sorted.map((m) => {
        const latency = m.deliveredAt ? new Date(m.deliveredAt).getTime() - new Date(m.occurredAt).getTime() : null;
        return (
          <li key={m.id} className={`tl-${m.status}`}>
            <div className="tl-time">{fmtDateTime(m.occurredAt)}</div>
            <div className="tl-body">
              <strong>{m.type}</strong> <span className="muted">{m.from} → {m.to}</span> <Status value={m.status} />
              {latency !== null && <span className="muted small"> {t('integration.latency', { ms: fmtNumber(latency) })}</span>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

function ChangeDialog({ order, line, onClose }: { order: SalesOrder; line: SalesOrderLine; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [qty, setQty] = useState(String(line.qty));
  const [dueDate, setDueDate] = useState(String(line.dueDate).slice(0, 10));
  const changed = { qty: Number(qty) !== Number(line.qty) ? Number(qty) : undefined, dueDate: dueDate !== String(line.dueDate).slice(0, 10) ? dueDate : undefined };
  const impact = useQuery({
    queryKey: ['change-impact', order.id, line.lineNo, changed.qty, changed.dueDate],
    queryFn: () =>
      api<any>(`/api/v1/erp/sales-orders/${encodeURIComponent(order.id)}/change-impact${qs({ lineNo: line.lineNo, qty: changed.qty, dueDate: changed.dueDate })}`),
    enabled: changed.qty !== undefined || changed.dueDate !== undefined,
  });
  const send = useMutation({
    mutationFn: () => api(`/api/v1/erp/sales-orders/${encodeURIComponent(order.id)}/lines/${line.lineNo}`, { method: 'PATCH', body: changed }),
    onSuccess: () => {
      void qc.invalidateQueries();
      onClose();
    },
  });
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal card" role="dialog" aria-modal="true" onClick={(e) => e.stopPropagation()}>
        <h2>
          {t('orders.changeLine')} {order.id} #{line.lineNo} ({line.itemCode})
        </h2>
        <div className="form-row">
          <label>
            {t('common.qty')}
            <input name="qty" type="number" min={0} step="any" value={qty} onChange={(e) => setQty(e.target.value)} />
          </label>
          <label>
            {t('orders.due')}
            <input name="dueDate" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
          </label>
        </div>
        <h3>{t('orders.impact')}</h3>
        {impact.fetchStatus === 'idle' && !impact.data ? (
          <p className="muted">{t('orders.impactHint')}</p>
        ) : impact.isPending ? (
          <Loading />
        ) : (
          <ErrorBox error={impact.error} />
        )}
        {impact.data && (
          <div data-testid="impact">
            <p>
              {impact.data.feasible ? <Badge kind="ok">{t('orders.feasible')}</Badge> : <Badge kind="late">{t('orders.notFeasible')}</Badge>}{' '}
              {impact.data.reason}
            </p>
            {impact.data.workOrders?.length > 0 && (
              <table className="table">
                <thead>
                  <tr>
                    <th>{t('common.workOrder')}</th>
                    <th>{t('common.item')}</th>
                    <th>{t('common.qty')}</th>
                    <th>{t('orders.newQty')}</th>
                    <th>{t('orders.goodSoFar')}</th>
                    <th>{t('common.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.data.workOrders.map((w: any) => (
                    <tr key={w.id}>
                      <td>{w.id}</td>
                      <td>{w.itemCode}</td>
                      <td>{fmtNumber(w.qty, 3)}</td>
                      <td>{fmtNumber(w.newQty, 3)}</td>
                      <td>{fmtNumber(w.goodQty, 3)}</td>
                      <td>
                        <Status value={w.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {impact.data.materialIssued?.length > 0 && (
              <>
                <h4>{t('orders.materialIssued')}</h4>
                <ul className="plain">
                  {impact.data.materialIssued.map((m: any, i: number) => (
                    <li key={i}>
                      {m.itemCode} · {t('common.lot')} {m.lot} · {fmtNumber(m.qty, 3)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <ErrorBox error={send.error} />
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
          <button
            type="button"
            className="primary"
            disabled={(changed.qty === undefined && changed.dueDate === undefined) || send.isPending}
            onClick={() => send.mutate()}
          >
            {t('orders.sendChange')}
          </button>
        </div>
      </div>
    </div>
  );
}
