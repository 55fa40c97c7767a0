import type { ModuleDeps, Subscriptions, UnitOfWork } from '../../platform/index.ts';
import { parseMessage, type Payload } from '../../messages/index.ts';
import type { LotRow } from '../quality/store.ts';

export async function syncItems(uow: UnitOfWork, p: Payload<'SyncMaterialDefinition'>) {
  if (!p.items.length) return;
  await uow.query(
    `insert into mes.items (code, name, kind, uom, standard_cost)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[])
     on conflict (code) do update set name = excluded.name, kind = excluded.kind, uom = excluded.uom,
       standard_cost = excluded.standard_cost, updated_at = now()`,
    [p.items.map((i) => i.code), p.items.map((i) => i.name), p.items.map((i) => i.kind), p.items.map((i) => i.uom), p.items.map((i) => i.standardCost)],
  );
  for (const i of p.items) uow.audit({ action: 'sync', entity: 'mes_item', ref: i.code, after: i });
}

/** A BOM version; `seq` (its message's outbox position) tells which orders it came after (versions in force at approval). */
export async function syncBom(uow: UnitOfWork, p: Payload<'SyncBillOfMaterial'>, seq: number | null = null) {
  await uow.query(
    `insert into mes.boms (item_code, version, components, message_seq) values ($1, $2, $3, $4)
     on conflict (item_code, version) do update set components = excluded.components, received_at = now(),
       message_seq = coalesce(mes.boms.message_seq, excluded.message_seq)`,
    [p.itemCode, p.version, JSON.stringify(p.components), seq],
  );
  uow.audit({ action: 'sync', entity: 'mes_bom', ref: `${p.itemCode}@${p.version}`, after: p });
}

/** The ERP's view of a lot (receipts, adjustments, ERP-side holds) into the MES lot view. */
const MES_QUALITY = `(mes.lots.status = 'rejected' or (mes.lots.status = 'hold' and mes.lots.hold_reason like 'inspection%'))`;

export async function syncLot(uow: UnitOfWork, p: Payload<'SyncMaterialLot'>) {
  const [before] = await uow.query<Pick<LotRow, 'qty' | 'status'>>('select qty, status from mes.lots where lot = $1 for update', [p.lot]);
  await uow.query(
    `insert into mes.lots (lot, item_code, qty, initial_qty, status, hold_reason, supplier)
     values ($1, $2, coalesce($3::numeric, 0), coalesce($3::numeric, 0), $4, $5, $6)
     on conflict (lot) do update set qty = coalesce($3::numeric, mes.lots.qty),
       -- A quality hold or a rejection decided here is lifted only by a disposition here: an ERP
       -- message that still says "available" (sent before the ERP heard of the hold) keeps it.
       status = case when ${MES_QUALITY} and excluded.status = 'available' then mes.lots.status else excluded.status end,
       hold_reason = case when ${MES_QUALITY} and excluded.status = 'available' then mes.lots.hold_reason
                          when excluded.status = 'hold' then coalesce($5, 'erp') else null end,
       supplier = coalesce(excluded.supplier, mes.lots.supplier), updated_at = now()`,
    [p.lot, p.itemCode, p.qty ?? null, p.status, p.status === 'hold' ? (p.reason ?? 'erp') : null, p.supplier ?? null],
  );
  uow.audit({ action: 'sync', entity: 'lot', ref: p.lot, before: before ?? null, after: p });
}

export function masterDataHandlers(subs: Subscriptions, _deps: ModuleDeps) {
  subs.subscribe('mes', 'mes.master-data', ['SyncMaterialDefinition', 'SyncBillOfMaterial', 'SyncMaterialLot'], async (msg, uow) => {
    if (msg.type === 'SyncMaterialDefinition') return syncItems(uow, parseMessage('SyncMaterialDefinition', msg.payload));
    if (msg.type === 'SyncBillOfMaterial') return syncBom(uow, parseMessage('SyncBillOfMaterial', msg.payload), msg.seq);
    if (msg.source === 'mes') return; // our own hold/release, already in the lot view
    return syncLot(uow, parseMessage('SyncMaterialLot', msg.payload));
  });
}
