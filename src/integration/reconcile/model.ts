import type { erpReconcileView } from '../../erp/index.ts';
import type { mesReconcileView } from '../../mes/index.ts';

export type ErpView = Awaited<ReturnType<typeof erpReconcileView>>;
export type MesView = Awaited<ReturnType<typeof mesReconcileView>>;

export interface Discrepancy {
  kind: 'order_qty' | 'work_order_missing' | 'work_order_status' | 'produced' | 'received' | 'consumed' | 'lot_status';
  ref: string;
  erp: unknown;
  mes: unknown;
}

const EPS = 1e-6;
const differ = (a: number, b: number) => Math.abs(a - b) > EPS;

/**
 * Compares the ERP's view with the MES's (pure): order quantities against top work orders,
 * the ERP's projection of each work order against the MES's, produced against received,
 * consumed against issued per work order and lot, and lot statuses.
 */
export function compareViews(erp: ErpView, mes: MesView): Discrepancy[] {
  const out: Discrepancy[] = [];
  const lineOf = new Map(erp.orderLines.map((l) => [`${l.salesOrderId}/${l.lineNo}`, l]));
  const erpWo = new Map(erp.workOrders.map((w) => [w.id, w]));

  for (const wo of mes.workOrders) {
    if (!wo.salesOrder) continue; // orders of outside ERPs have no ERP side here
    const ref = wo.id;
    const mine = erpWo.get(wo.id);
    if (!mine) {
      out.push({ kind: 'work_order_missing', ref, erp: null, mes: { salesOrder: wo.salesOrder, itemCode: wo.itemCode, qty: wo.qty } });
      continue;
    }
    if (wo.top && wo.status !== 'cancelled') {
      const line = lineOf.get(`${wo.salesOrder}/${wo.lineNo}`);
      if (line && line.status !== 'cancelled' && differ(line.qty, wo.qty))
        out.push({ kind: 'order_qty', ref: `${wo.salesOrder}/${wo.lineNo}`, erp: line.qty, mes: wo.qty });
    }
    if (mine.status !== wo.status) out.push({ kind: 'work_order_status', ref, erp: mine.status, mes: wo.status });
    if (differ(mine.producedQty, wo.goodQty)) out.push({ kind: 'produced', ref, erp: mine.producedQty, mes: wo.goodQty });
  }

  const producedBy = new Map<string, number>();
  for (const l of mes.producedLots) producedBy.set(l.workOrder, (producedBy.get(l.workOrder) ?? 0) + l.qty);
  for (const [wo, qty] of producedBy) {
    const mine = erpWo.get(wo);
    if (!mine) continue;
    if (differ(mine.receivedQty, qty)) out.push({ kind: 'received', ref: wo, erp: mine.receivedQty, mes: qty });
  }

  const key = (wo: string, lot: string) => `${wo}|${lot}`;
  const consumed = new Map<string, number>();
  for (const c of mes.consumed) consumed.set(key(c.workOrder, c.lot), (consumed.get(key(c.workOrder, c.lot)) ?? 0) + c.qty);
  const issued = new Map<string, number>();
  for (const i of erp.issued) issued.set(key(i.workOrderId, i.lot), (issued.get(key(i.workOrderId, i.lot)) ?? 0) + i.qty);
  for (const k of new Set([...consumed.keys(), ...issued.keys()])) {
    const m = consumed.get(k) ?? 0;
    const e = issued.get(k) ?? 0;
    if (differ(m, e)) out.push({ kind: 'consumed', ref: k.replace('|', '/'), erp: e, mes: m });
  }

  const erpLot = new Map(erp.lots.map((l) => [`${l.itemCode}|${l.lot}`, l]));
  for (const l of mes.lots) {
    const mine = erpLot.get(`${l.itemCode}|${l.lot}`);
    if (mine && mine.status !== l.status) out.push({ kind: 'lot_status', ref: l.lot, erp: mine.status, mes: l.status });
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.ref.localeCompare(b.ref));
}
