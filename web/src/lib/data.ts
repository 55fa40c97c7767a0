import { useQuery } from '@tanstack/react-query';
import { api, qs } from './api.ts';
import { useCapabilities } from './capabilities.ts';

export interface Operation {
  id: string;
  seq: number;
  name: string;
  workCenter: string;
  status: 'pending' | 'running' | 'done' | 'cancelled';
  goodQty: number;
  scrapQty: number;
  plannedStart?: string | null;
  plannedEnd?: string | null;
}
export interface WorkOrder {
  id: string;
  itemCode: string;
  qty: number;
  status: 'released' | 'in_progress' | 'completed' | 'cancelled';
  salesOrder?: string | null;
  lineNo?: number | null;
  parentWorkOrder?: string | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  dueDate?: string | null;
  goodQty: number;
  scrapQty: number;
  outputLots?: { lot: string; qty: number }[];
  operations: Operation[];
}
export interface SalesOrderLine {
  lineNo: number;
  itemCode: string;
  qty: number;
  dueDate: string;
  plannedStart?: string | null;
  plannedEnd?: string | null;
  producedQty: number;
  scrappedQty: number;
  progress: number;
  changeStatus: null | 'pending' | 'accepted' | 'rejected';
  changeReason?: string | null;
}
export interface SalesOrder {
  id: string;
  customer: string;
  status: string;
  lines?: SalesOrderLine[];
  createdAt?: string;
}
export interface Alert {
  id: number;
  kind: string;
  severity: string;
  ref: string;
  /** In English, as the server stored it. */
  message: string;
  /** The key of the message's text and the values it fills in (absent from older servers and alerts). */
  messageKey?: string | null;
  params?: Record<string, string | number> | null;
  role: string;
  createdAt: string;
  acknowledgedAt: string | null;
}
export type Kpis = Record<string, number | null>;

/** Work orders of a sales order, or with `open` only those still to do (a board or a terminal never loads the history). */
export function useWorkOrders(enabled = true, salesOrder?: string, open = false) {
  return useQuery({
    queryKey: ['work-orders', salesOrder ?? null, open],
    queryFn: () => api<WorkOrder[]>(`/api/v1/mes/work-orders${qs({ salesOrder, open: open ? 'true' : undefined })}`),
    enabled,
    refetchInterval: 30_000,
  });
}

/**
 * Sales orders: the list route where the server has one; otherwise the orders that the MES work
 * orders name, read one by one (the contract promises only the read by id).
 */
export function useSalesOrders(enabled = true, canReadWorkOrders = false) {
  const caps = useCapabilities();
  const hasList = caps.data?.has('get', '/api/v1/erp/sales-orders') ?? false;
  return useQuery({
    queryKey: ['sales-orders', hasList],
    enabled: enabled && !!caps.data,
    refetchInterval: 30_000,
    queryFn: async (): Promise<SalesOrder[]> => {
      let orders: SalesOrder[] = [];
      if (hasList) {
        const r = await api<SalesOrder[] | { items: SalesOrder[] }>('/api/v1/erp/sales-orders');
        orders = Array.isArray(r) ? r : (r.items ?? []);
      } else if (canReadWorkOrders) {
        const wos = await api<WorkOrder[]>('/api/v1/mes/work-orders');
        const ids = [...new Set(wos.map((w) => w.salesOrder).filter((x): x is string => !!x))].slice(-50);
        orders = ids.map((id) => ({ id, customer: '', status: '' }));
      }
      const need = orders.filter((o) => !o.lines).slice(0, 50);
      const full = await Promise.all(need.map((o) => api<SalesOrder>(`/api/v1/erp/sales-orders/${encodeURIComponent(o.id)}`).catch(() => o)));
      const byId = new Map(full.map((o) => [o.id, o]));
      return orders.map((o) => byId.get(o.id) ?? o);
    },
  });
}

export function useAlerts(enabled = true) {
  return useQuery({ queryKey: ['alerts'], queryFn: () => api<Alert[]>('/api/v1/alerts'), enabled, refetchInterval: 30_000 });
}

/** The delivery state of an order line: delivered, late, at risk (planned after due) or on time. */
export function lineDelivery(order: SalesOrder, line: SalesOrderLine, now = new Date()): 'delivered' | 'late' | 'atRisk' | 'onTime' | 'cancelled' {
  if (order.status === 'cancelled') return 'cancelled';
  if (order.status === 'shipped' || order.status === 'completed') return 'delivered';
  const dueEnd = new Date(`${String(line.dueDate).slice(0, 10)}T23:59:59Z`);
  if (dueEnd < now) return 'late';
  if (line.plannedEnd && new Date(line.plannedEnd) > dueEnd) return 'atRisk';
  return 'onTime';
}
