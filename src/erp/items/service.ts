import { conflict, notFound, type UnitOfWork } from '../../platform/index.ts';
import { rollUpStandardCosts } from '../boms/service.ts';
import { actorName } from '../shared.ts';
import { materialDefinition, type Item, type ItemChange, type NewItem } from './model.ts';
import { findItem, recordHistory, saveItem } from './store.ts';

const fields = (i: Item) => {
  const { lowLevelCode: _l, averageCost: _a, ...rest } = i;
  return rest;
};

export async function createItem(uow: UnitOfWork, body: NewItem): Promise<Item> {
  if (await findItem(uow, body.code)) throw conflict(`item ${body.code} exists`, { code: body.code });
  const item: Omit<Item, 'lowLevelCode' | 'averageCost'> = {
    code: body.code,
    name: body.name,
    kind: body.kind,
    uom: body.uom,
    standardCost: body.standardCost ?? 0,
    leadTimeDays: body.leadTimeDays ?? 0,
    reorderPoint: body.reorderPoint ?? null,
    reorderQty: body.reorderQty ?? null,
    lotControlled: body.lotControlled ?? true,
    lotSizeRule: body.lotSizeRule ?? 'lot-for-lot',
    lotSize: body.lotSize ?? null,
    safetyStock: body.safetyStock ?? 0,
    inspectOnReceipt: body.inspectOnReceipt ?? false,
  };
  await saveItem(uow, item, true);
  await recordHistory(uow, item.code, actorName(uow), null, item);
  uow.audit({ action: 'create', entity: 'item', ref: item.code, after: item });
  const saved = (await findItem(uow, item.code))!;
  uow.emit('SyncMaterialDefinition', { items: [materialDefinition(saved)] }, { correlationId: null });
  return saved;
}

/** Changes an item's master data; a rename keeps the old name in the item's history. */
export async function changeItem(uow: UnitOfWork, code: string, change: ItemChange): Promise<Item> {
  const current = await findItem(uow, code, true);
  if (!current) throw notFound('item', code);
  const next = { ...fields(current), ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as ReturnType<typeof fields>;
  await saveItem(uow, next, false);
  await recordHistory(uow, code, actorName(uow), fields(current), next);
  uow.audit({ action: 'update', entity: 'item', ref: code, before: fields(current), after: next });
  if (change.standardCost !== undefined && change.standardCost !== current.standardCost) await rollUpStandardCosts(uow);
  const saved = (await findItem(uow, code))!;
  uow.emit('SyncMaterialDefinition', { items: [materialDefinition(saved)] }, { correlationId: null });
  return saved;
}
