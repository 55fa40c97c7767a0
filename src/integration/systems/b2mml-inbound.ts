/**
 * B2MML from an outside system (`POST /api/v1/integration/b2mml?system=CODE`): the document is
 * checked against the MESA XSDs (a failure is 400 with the schema's message), read, turned into
 * the canonical message, translated through the system's code maps and applied like a mapped
 * JSON message. Schedules are answered with AcknowledgeOperationsSchedule (accepted or rejected
 * per request, with the reason); a performance with `{accepted, rejected}`.
 */
import { findWorkOrders } from '../../mes/index.ts';
import { AppError, answer, type ModuleDeps, type UnitOfWork } from '../../platform/index.ts';
import { buildAcknowledgeOperationsSchedule } from '../b2mml/acknowledge.ts';
import { isB2mmlError } from '../b2mml/errors.ts';
import { parseCancelSchedule, parseOperationsPerformance, rootOf } from '../b2mml/parse-inbound.ts';
import { parseOperationsSchedule } from '../b2mml/parse-schedule.ts';
import { validateB2mml } from '../b2mml/schema-validator.ts';
import { applyCanonical, refuseUnless, type InboundAnswer } from './inbound.ts';
import type { Canonical, CanonicalReport } from './mappings-model.ts';
import { requireSystem } from './service.ts';
import { translate } from './translate.ts';

type Deps = Pick<ModuleDeps, 'clock' | 'config'>;
const XML = 'application/xml; charset=utf-8';

const asAppError = (e: unknown) =>
  isB2mmlError(e)
    ? new AppError(e.status === 400 ? 'bad_request' : e.status === 413 ? 'payload_too_large' : e.status >= 500 ? 'internal' : 'unprocessable', e.message, { code: e.code, ...(e.details ?? {}) })
    : e;

async function applyTranslated(uow: UnitOfWork, deps: Deps, system: string, c: Canonical): Promise<InboundAnswer> {
  const t = await translate(uow, system, c);
  return applyCanonical(uow, deps, system, refuseUnless({ ...t, translated: t.errors.length ? null : t.translated }));
}

/** The document's requests answered one by one (AcknowledgeOperationsSchedule). */
function acknowledge(id: string, refs: string[], a: InboundAnswer, original?: { createdAt?: string; bodId?: string; sender?: string }) {
  const ok = new Map(a.accepted.map((x) => [x.externalRef, x.workOrders as { id: string }[]]));
  const no = new Map(a.rejected.map((x) => [x.externalRef, x.reason]));
  return buildAcknowledgeOperationsSchedule({
    id,
    createdAt: new Date(),
    original: original?.createdAt ? { createdAt: original.createdAt, bodId: original.bodId, sender: original.sender } : undefined,
    requests: refs.map((ref) =>
      ok.has(ref)
        ? { id: ref, workOrderIds: [...new Set(ok.get(ref)!.map((w) => w.id))], status: 'accepted' as const }
        : { id: ref, workOrderIds: [], status: 'rejected' as const, reason: no.get(ref) ?? 'not applied' },
    ),
  });
}

export async function receiveB2mml(uow: UnitOfWork, deps: Deps, system: string, body: string | Buffer) {
  await requireSystem(uow, system);
  const xml = typeof body === 'string' ? body : new Uint8Array(body);
  try {
    const valid = await validateB2mml(xml);
    if (!valid.valid) throw new AppError('bad_request', `not a valid B2MML V0701 document: ${valid.errors[0] ?? 'schema error'}`, { code: 'schema', errors: valid.errors.slice(0, 20) });
    const root = rootOf(xml);
    if (root === 'ProcessOperationsPerformance') {
      const doc = parseOperationsPerformance(xml);
      const refs = [...new Set(doc.reports.map((r) => r.ref))];
      const known = new Set<string>();
      for (const ref of refs) if ((await findWorkOrders(uow, { externalRef: ref })).some((w) => w.top && w.externalSystem === system)) known.add(ref);
      const items = doc.reports.map(({ ref, seq, consumed, ...r }): CanonicalReport => ({
        ...(known.has(ref) ? { externalRef: ref } : { workOrder: ref }),
        ...(seq !== undefined ? { operationSeq: seq } : {}),
        ...r,
        ...(consumed.length ? { consumed } : {}),
      }));
      const a = await applyTranslated(uow, deps, system, { message: 'performance', items });
      uow.audit({ action: 'receive', entity: 'b2mml_performance', ref: doc.id, after: { system, reports: items.length, rejected: a.rejected } });
      return answer(202, a);
    }
    if (root === 'CancelOperationsSchedule') {
      const doc = parseCancelSchedule(xml);
      const a = await applyTranslated(uow, deps, system, { message: 'order-cancel', items: doc.requests.map((externalRef) => ({ externalRef })) });
      uow.audit({ action: 'receive', entity: 'b2mml_cancel', ref: doc.id, after: { system, requests: doc.requests.length, rejected: a.rejected } });
      return answer(202, acknowledge(doc.id, doc.requests, a), XML);
    }
    const doc = parseOperationsSchedule(xml);
    const refs = doc.requests.map((r) => r.id);
    const c: Canonical =
      doc.verb === 'Process'
        ? {
            message: 'production-request',
            items: doc.requests.map((r) => ({
              externalRef: r.id,
              itemCode: r.producedItem,
              qty: r.qty,
              ...(r.uom ? { uom: r.uom } : {}),
              dueDate: (r.dueDate ?? r.end ?? deps.clock.now().toISOString()).slice(0, 10),
            })),
          }
        : {
            message: 'order-change',
            items: doc.requests.map((r) => ({
              externalRef: r.id,
              qty: r.qty,
              ...(r.uom ? { uom: r.uom } : {}),
              ...(r.dueDate || r.end ? { dueDate: (r.dueDate ?? r.end)!.slice(0, 10) } : {}),
            })),
          };
    const a = await applyTranslated(uow, deps, system, c);
    uow.audit({ action: 'receive', entity: 'b2mml_schedule', ref: doc.id, after: { system, verb: doc.verb, requests: refs.length, rejected: a.rejected } });
    return answer(202, acknowledge(doc.id, refs, a, doc), XML);
  } catch (e) {
    throw asAppError(e);
  }
}
