import { parseMessage } from '../../messages/index.ts';
import { notFound, type Message, type UnitOfWork } from '../../platform/index.ts';
import { changeLotStatus, issue, receive } from '../inventory/service.ts';
import type { LotRow } from '../inventory/store.ts';
import { completeLine } from '../sales/service.ts';
import { workOrderById } from '../sales/work-orders.ts';
import { producedUnitCost } from './costs.ts';

/**
 * Material the MES consumed: issued from the ledger at the lot's cost. A held, rejected or short
 * lot is refused by throwing, so the message goes to dead letters with its reason.
 */
export async function onMaterialActual(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('ProcessMaterialActual', msg.payload);
  const wo = await workOrderById(uow, p.workOrderId);
  await issue(uow, {
    itemCode: p.itemCode,
    lot: p.lot,
    qty: p.qty,
    workOrderId: p.workOrderId,
    salesOrderId: p.salesOrderId ?? wo?.salesOrderId ?? null,
    messageId: msg.id,
    reason: 'consumed by production',
  });
}

/**
 * A lot the MES produced: received at the work order's actual cost so far (issued material +
 * booked time − what earlier lots of it took), on hold if the MES says so. The top lot of a line
 * completes the line.
 */
export async function onProducedLot(msg: Message, uow: UnitOfWork) {
  const p = parseMessage('ProcessProducedLot', msg.payload);
  const wo = await workOrderById(uow, p.workOrderId);
  const salesOrderId = p.salesOrderId ?? wo?.salesOrderId ?? null;
  const lineNo = p.lineNo ?? wo?.lineNo ?? null;
  const unitCost = await producedUnitCost(uow, p.workOrderId, p.qty);
  await receive(uow, {
    itemCode: p.itemCode,
    lot: p.lot,
    qty: p.qty,
    unitCost,
    origin: 'production',
    status: p.status,
    workOrderId: p.workOrderId,
    salesOrderId,
    messageId: msg.id,
    sync: false,
  });
  await uow.query(
    `insert into erp.work_orders as w (id, sales_order_id, line_no, item_code, qty, top, received_qty) values ($1, $2, $3, $4, $5, $6, $5)
     on conflict (id) do update set received_qty = w.received_qty + excluded.received_qty`,
    [p.workOrderId, salesOrderId, lineNo, p.itemCode, p.qty, p.top],
  );
  if (p.top && salesOrderId && lineNo !== null) await completeLine(uow, salesOrderId, lineNo);
}

/** A lot status the MES decided (quality hold, release, rejection); our own echoes are ignored. */
export async function onMesLot(msg: Message, uow: UnitOfWork) {
  if (msg.source === 'erp') return;
  const p = parseMessage('SyncMaterialLot', msg.payload);
  const [lot] = await uow.query<Pick<LotRow, 'status'>>('select status from erp.lots where item_code = $1 and lot = $2', [p.itemCode, p.lot]);
  if (!lot) throw notFound('lot', `${p.itemCode}/${p.lot}`);
  await changeLotStatus(uow, p.itemCode, p.lot, p.status, p.reason ?? `${p.status} by the MES`, { sync: false, messageId: msg.id });
}
