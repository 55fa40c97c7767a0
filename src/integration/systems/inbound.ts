/**
 * Inbound from an outside system: its own JSON → the mapping (JSONata) → the canonical message →
 * translated through the code maps → applied through the MES door in the request's one unit of
 * work. Any unmapped code, wrong shape or unit is 422 before anything is applied; a request the
 * MES refuses by its rules (a cut below what is produced) is answered `rejected` with the reason.
 */
import {
  cancelExternalOrder,
  changeExternalOrder,
  consumeMaterial,
  createExternalWorkOrders,
  findExternalOperation,
  reportOperation,
  startOperation,
} from '../../mes/index.ts';
import { unprocessable, type ModuleDeps, type UnitOfWork } from '../../platform/index.ts';
import { feedChangeAnswers, feedPlanned } from '../feed/handlers.ts';
import { runMapping } from './jsonata-run.ts';
import { readCanonical, type Canonical, type MessageKind, type ShapeError } from './mappings-model.ts';
import { requireMapping } from './mappings-store.ts';
import { requireSystem } from './service.ts';
import { translate, type Unmapped } from './translate.ts';

type Deps = Pick<ModuleDeps, 'clock' | 'config'>;

export interface InboundAnswer {
  accepted: { externalRef: string; workOrders: unknown[] }[];
  rejected: { externalRef: string; reason: string }[];
}

export interface DryRun {
  output: unknown;
  unmapped: Unmapped[];
  errors: ShapeError[];
  /** What would be applied: the canonical message with Closeloop's codes (null when something is wrong). */
  translated: unknown;
}

/** Mapping, shape and translation of a sample: what `.../test` shows. JSONata failures throw (422). */
export async function dryRun(uow: UnitOfWork, system: string, name: string, sample: unknown): Promise<DryRun> {
  await requireSystem(uow, system);
  const mapping = await requireMapping(uow, system, name);
  const output = await runMapping(mapping.expression, sample);
  return { output, ...(await checkAndTranslate(uow, system, mapping.message, output)) };
}

async function checkAndTranslate(uow: UnitOfWork, system: string, message: MessageKind, output: unknown) {
  const read = readCanonical(message, output);
  if ('errors' in read) return { unmapped: [], errors: read.errors, translated: null };
  const t = await translate(uow, system, read.canonical);
  return { unmapped: t.unmapped, errors: t.errors, translated: t.errors.length ? null : t.translated };
}

/** 422 for what cannot be applied: every unmapped code, or every shape/unit error. */
export function refuseUnless(t: { unmapped: Unmapped[]; errors: ShapeError[]; translated: Canonical | null }): Canonical {
  if (t.unmapped.length)
    throw unprocessable(`${t.unmapped.length} code(s) without a map: nothing applied`, { reason: 'unmapped', unmapped: t.unmapped });
  if (t.errors.length || !t.translated)
    throw unprocessable(`the mapped message is not a valid ${t.translated?.message ?? 'canonical message'}: ${t.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      reason: 'shape',
      errors: t.errors,
    });
  return t.translated;
}

/** `POST .../inbound/:mapping`: the outside system's JSON applied, all of it checked first. */
export async function receiveInbound(uow: UnitOfWork, deps: Deps, system: string, name: string, body: unknown): Promise<InboundAnswer> {
  await requireSystem(uow, system);
  const mapping = await requireMapping(uow, system, name);
  const output = await runMapping(mapping.expression, body);
  const canonical = refuseUnless(await checkAndTranslate(uow, system, mapping.message, output));
  const answer = await applyCanonical(uow, deps, system, canonical);
  uow.audit({ action: 'receive', entity: 'integration_inbound', ref: `${system}/${name}`, after: { message: mapping.message, accepted: answer.accepted.length, rejected: answer.rejected } });
  return answer;
}

/** Applies a translated canonical message through the MES door (also the B2MML inbound's last step). */
export async function applyCanonical(uow: UnitOfWork, deps: Deps, system: string, c: Canonical): Promise<InboundAnswer> {
  const plan = { now: deps.clock.now(), utcOffsetMinutes: deps.config.plantUtcOffsetMinutes };
  const answer: InboundAnswer = { accepted: [], rejected: [] };
  switch (c.message) {
    case 'production-request': {
      const made = await createExternalWorkOrders(
        uow,
        c.items.map((r) => ({ externalRef: r.externalRef, externalSystem: system, itemCode: r.itemCode, qty: r.qty, dueDate: r.dueDate, priority: r.priority })),
        plan,
      );
      for (const m of made) answer.accepted.push({ externalRef: m.externalRef, workOrders: m.workOrders });
      // the feed's work_order.planned, in this transaction (the outbox of the outbound feed)
      await feedPlanned(uow, system, made, new Map(c.items.map((r) => [r.externalRef, r.dueDate ?? null])));
      break;
    }
    case 'order-change': {
      const answers = [];
      for (const ch of c.items) {
        const changeId = `${system}/${ch.externalRef}/${deps.clock.now().toISOString()}`;
        const r = await changeExternalOrder(uow, system, { externalRef: ch.externalRef, qty: ch.qty, dueDate: ch.dueDate, changeId }, plan);
        if (r.accepted) answer.accepted.push({ externalRef: r.externalRef, workOrders: r.workOrders });
        else answer.rejected.push({ externalRef: r.externalRef, reason: r.reason });
        answers.push({ ...r, changeId });
      }
      // the answers go back on the system's feed, in this transaction (nothing else reports them)
      await feedChangeAnswers(uow, system, answers);
      break;
    }
    case 'order-cancel':
      for (const ca of c.items) {
        const r = await cancelExternalOrder(uow, system, ca.externalRef, deps.clock.now(), ca.reason);
        if (r.accepted) answer.accepted.push({ externalRef: r.externalRef, workOrders: r.workOrders });
        else answer.rejected.push({ externalRef: r.externalRef, reason: r.reason });
      }
      break;
    case 'performance':
      for (const rep of c.items) {
        const ref = rep.externalRef ?? rep.workOrder ?? '';
        const found = await findExternalOperation(uow, system, rep);
        if ('reason' in found) {
          answer.rejected.push({ externalRef: ref, reason: found.reason });
          continue;
        }
        if (found.status === 'pending') await startOperation(uow, deps, found.operation, rep.operator);
        for (const m of rep.consumed ?? []) await consumeMaterial(uow, deps, found.workOrder, { itemCode: m.itemCode, lot: m.lot, qty: m.qty });
        const r = await reportOperation(uow, deps, found.operation, {
          goodQty: rep.goodQty,
          scrapQty: rep.scrapQty,
          scrapReason: rep.scrapReason,
          laborMinutes: rep.laborMinutes,
          machineMinutes: rep.machineMinutes,
          complete: rep.complete,
          operator: rep.operator,
        });
        answer.accepted.push({ externalRef: ref, workOrders: [{ ...r.workOrder, operation: r.operation, outputLots: r.outputLots }] });
      }
      break;
  }
  return answer;
}
