import { setOutsideErpPlants } from '../../mes/index.ts';
import { assertWebhookTarget, notFound, unprocessable, type Queryable, type UnitOfWork } from '../../platform/index.ts';
import type { SystemInput, SystemView } from './model.ts';
import { systemRow, systemRows, toSystemView, upsertSystemRow, type SystemRow } from './store.ts';

/** Creates or updates an outside system; the audit never records the webhook's secret. */
export async function putSystem(uow: UnitOfWork, code: string, input: SystemInput): Promise<SystemView> {
  if (input.webhook) assertWebhookTarget(input.webhook.url);
  const before = await systemRow(uow, code);
  if (input.plants?.length && input.role !== 'erp') throw unprocessable('only a system of role erp runs plants', { role: input.role });
  const row = await upsertSystemRow(uow, code, input.role === 'erp' ? input : { ...input, plants: [] });
  // The MES learns which plants take work only from this system (its own copy, through its door).
  if (input.plants !== undefined || input.role !== 'erp') await setOutsideErpPlants(uow, code, row.plants);
  const after = toSystemView(row);
  uow.audit({ action: before ? 'update' : 'create', entity: 'integration_system', ref: code, before: before && toSystemView(before), after });
  return after;
}

export async function listSystems(q: Queryable): Promise<SystemView[]> {
  return (await systemRows(q)).map(toSystemView);
}

/** The system or 404: every `/systems/:code/...` route starts here. */
export async function requireSystem(q: Queryable, code: string): Promise<SystemRow> {
  const row = await systemRow(q, code);
  if (!row) throw notFound('system', code);
  return row;
}

export async function getSystem(q: Queryable, code: string): Promise<SystemView> {
  return toSystemView(await requireSystem(q, code));
}
