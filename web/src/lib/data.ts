import { useQuery } from '@tanstack/react-query';
import { api, qs } from './api.ts';

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

/**
 * Which work orders a screen asks for: those of one sales order, the open ones (a board, a
 * terminal plans and runs only work still to do), or a bounded page. Never the whole table.
 */
export type WorkOrderSelection =
  | { salesOrder: string }
  | { open: true }
  | { status?: WorkOrder['status']; sort?: 'id' | '-id' | 'dueDate' | '-dueDate' | 'plannedStart' | '-plannedStart' | 'completedAt' | '-completedAt'; q?: string; limit: number; offset?: number };

export function useWorkOrders(enabled: boolean, which: WorkOrderSelection) {
  const params = 'open' in which ? { open: 'true' } : 'salesOrder' in which ? { salesOrder: which.salesOrder } : { ...which, limit: String(which.limit), offset: which.offset ? String(which.offset) : undefined };
  return useQuery({
    queryKey: ['work-orders', params],
    queryFn: () => api<WorkOrder[]>(`/api/v1/mes/work-orders${qs(params)}`),
    enabled,
    refetchInterval: 30_000,
  });
}

/** The newest open alerts (of one kind), at most 200: a screen shows what needs attention, not the history. */
export function useOpenAlerts(enabled = true, kind?: string) {
  return useQuery({
    queryKey: ['alerts', 'open', kind ?? null],
    queryFn: () => api<Alert[]>(`/api/v1/alerts${qs({ open: 'true', kind, sort: '-id', limit: '200' })}`),
    enabled,
    refetchInterval: 30_000,
  });
}

/** What the server counts for the cockpit's charts: order lines by delivery state, open work left by work centre. */
export interface CockpitBoard {
  delivery: { onTime: number; atRisk: number; late: number; delivered: number };
  wip: { workCenter: string; running: number; waiting: number }[];
}
export function useCockpitBoard(enabled: boolean, plant: string) {
  return useQuery({
    // under 'kpis' so that live updates refresh it with the tiles
    queryKey: ['kpis', 'board', plant],
    queryFn: () => api<CockpitBoard>(`/api/v1/cockpit/board${qs({ plant: plant || undefined })}`),
    enabled,
    refetchInterval: 30_000,
    placeholderData: (prev) => prev,
  });
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

/** An automatic replan (`GET /api/v1/planning/replans`): when, why (English text of the server), what moved. */
export interface Replan {
  at: string;
  reasons: string[];
  status: 'done' | 'failed';
  /** Operations whose planned start changed: before (null: had none) and after. */
  moved: { id: string; from: string | null; to: string }[];
  lateWorkOrders: string[];
  timings?: { readMs: number; solveMs: number; buildMs?: number; scheduleMs?: number; writeMs: number };
  error?: string;
}
export interface Replans {
  enabled: boolean;
  /** The last 20, newest first. */
  replans: Replan[];
}
/** The server's last automatic replans, every 30 s (the planner board also refetches them with its schedule). */
export function useReplans(enabled: boolean) {
  return useQuery({ queryKey: ['replans'], queryFn: () => api<Replans>('/api/v1/planning/replans'), enabled, refetchInterval: 30_000 });
}
