import { parseMessage } from '../../messages/index.ts';
import { workOrderFacts, type OutsideWorkOrderFacts } from '../../mes/index.ts';
import type { Message, Queryable, UnitOfWork } from '../../platform/index.ts';
import type { FeedEventInput } from './model.ts';
import { appendFeed } from './store.ts';
import { reverseMaps, translateWith, type ReverseMaps } from './translate.ts';

/** The consumer that writes the feed: its rows commit with its inbox rows (a redelivery adds nothing). */
export const FEED_CONSUMER = 'integration.feed';
export const FEED_MESSAGE_TYPES = ['ProcessOperationsPerformance', 'ProcessMaterialActual', 'SyncMaterialLot', 'RespondOperationsSchedule'];

type Facts = Awaited<ReturnType<typeof workOrderFacts>>;

/** Codes and quantities of one system, translated back. */
class Outside {
  constructor(
    private readonly maps: ReverseMaps | undefined,
    private readonly uoms: Map<string, string>,
  ) {}
  item = (code: string) => translateWith(this.maps, 'item', code).code;
  /** A quantity of an item in the system's unit: `{qty, uom}`. */
  qty(itemCode: string, qty: number, uom = this.uoms.get(itemCode) ?? 'pcs') {
    const t = translateWith(this.maps, 'uom', uom, qty);
    return { qty: t.qty!, uom: t.code };
  }
  /** Another quantity in the same unit as `qty` gave. */
  same = (uom: string, qty: number) => translateWith(this.maps, 'uom', uom, qty).qty!;
}

async function outsides(q: Queryable, facts: Facts, systems: string[]) {
  const maps = await reverseMaps(q, systems);
  return new Map(systems.map((s) => [s, new Outside(maps.get(s), facts.itemUoms)]));
}

function eventOf(m: Message, wo: OutsideWorkOrderFacts, o: Outside): Omit<FeedEventInput, 'system' | 'externalRef'> | null {
  const base = { workOrderId: wo.id, top: wo.top, itemCode: o.item(wo.itemCode) };
  const uom = wo.uom;
  switch (m.type) {
    case 'ProcessOperationsPerformance': {
      const p = parseMessage('ProcessOperationsPerformance', m.payload);
      const amounts = { ...o.qty(wo.itemCode, p.workOrderQty, uom), goodQty: o.same(uom, p.goodQty), scrapQty: o.same(uom, p.scrapQty) };
      if (p.event === 'cancelled') return { type: 'work_order.cancelled', occurredAt: p.at, payload: { ...base, ...amounts } };
      if (p.event === 'completed')
        return {
          type: 'work_order.completed',
          occurredAt: p.at,
          payload: { ...base, ...amounts, outputLots: wo.outputLots.map((l) => ({ lot: l.lot, qty: o.same(uom, l.qty) })) },
        };
      return { type: 'work_order.progress', occurredAt: p.at, payload: { ...base, event: p.event, operationId: p.operationId, ...amounts } };
    }
    case 'ProcessMaterialActual': {
      const p = parseMessage('ProcessMaterialActual', m.payload);
      return {
        type: 'material.consumed',
        occurredAt: p.at,
        payload: { workOrderId: wo.id, itemCode: o.item(p.itemCode), lot: p.lot, ...o.qty(p.itemCode, p.qty) },
      };
    }
    case 'SyncMaterialLot': {
      const p = parseMessage('SyncMaterialLot', m.payload);
      if (p.status === 'rejected') return null;
      return {
        type: p.status === 'hold' ? 'lot.held' : 'lot.released',
        occurredAt: m.occurredAt.toISOString(),
        payload: { lot: p.lot, workOrderId: wo.id, itemCode: o.item(p.itemCode), ...(p.qty === undefined ? {} : o.qty(p.itemCode, p.qty)), reason: p.reason ?? null },
      };
    }
    case 'RespondOperationsSchedule': {
      const p = parseMessage('RespondOperationsSchedule', m.payload);
      return {
        type: p.accepted ? 'order_change.accepted' : 'order_change.rejected',
        occurredAt: m.occurredAt.toISOString(),
        payload: {
          changeId: p.changeId,
          reason: p.reason,
          workOrders: p.workOrders.map((w) => ({
            id: w.id, itemCode: o.item(w.itemCode), ...o.qty(w.itemCode, w.qty), newQty: o.same(uom, w.newQty), goodQty: o.same(uom, w.goodQty), status: w.status,
          })),
        },
      };
    }
  }
  return null;
}

/** The work order a message is about, or the lot it names. */
function subjectOf(m: Message): { workOrder?: string; lot?: string; item?: string } {
  const p = m.payload as Record<string, unknown> & { workOrders?: { id: string }[] };
  if (m.type === 'SyncMaterialLot') return m.source === 'mes' ? { lot: String(p.lot) } : {};
  if (m.type === 'RespondOperationsSchedule') return p.workOrders?.length ? { workOrder: p.workOrders[0].id } : {};
  return { workOrder: String(p.workOrderId), item: m.type === 'ProcessMaterialActual' ? String(p.itemCode) : undefined };
}

/**
 * The MES's messages about work orders of an outside system (for a child work order, its top's
 * system) become that system's feed events, in the order of the messages, with codes and units
 * translated back. Everything else is ignored.
 */
export async function onMesFacts(msgs: Message[], uow: UnitOfWork) {
  const subjects = msgs.map(subjectOf);
  const ids = [...new Set(subjects.flatMap((s) => (s.workOrder ? [s.workOrder] : [])))];
  const lots = [...new Set(subjects.flatMap((s) => (s.lot ? [s.lot] : [])))];
  if (!ids.length && !lots.length) return;
  const facts = await workOrderFacts(uow, ids, lots, [...new Set(subjects.flatMap((s) => (s.item ? [s.item] : [])))]);
  const woOf = (s: { workOrder?: string; lot?: string }) => facts.workOrders.get(s.workOrder ?? facts.lotWorkOrder.get(s.lot ?? '') ?? '');
  const systems = [...new Set([...facts.workOrders.values()].flatMap((w) => (w.externalSystem ? [w.externalSystem] : [])))];
  if (!systems.length) return;
  const out = await outsides(uow, facts, systems);
  const events: FeedEventInput[] = [];
  msgs.forEach((m, i) => {
    const wo = woOf(subjects[i]);
    if (!wo?.externalSystem) return;
    const e = eventOf(m, wo, out.get(wo.externalSystem)!);
    if (e) events.push({ ...e, system: wo.externalSystem, externalRef: facts.workOrders.get(wo.topId)?.externalRef ?? wo.externalRef, messageId: m.id });
  });
  await appendFeed(uow, events);
}

/**
 * `work_order.planned` for work orders just made at an outside system's request, in the unit of
 * work that made them (the B2MML and mapped inbound endpoints call it).
 */
export async function feedPlanned(
  uow: UnitOfWork,
  system: string,
  made: { externalRef: string; created: boolean; workOrders: { id: string }[] }[],
  dueDates: Map<string, string | null> = new Map(),
) {
  const fresh = made.filter((m) => m.created && m.workOrders.length);
  if (!fresh.length) return;
  const facts = await workOrderFacts(uow, fresh.flatMap((m) => m.workOrders.map((w) => w.id)));
  const o = (await outsides(uow, facts, [system])).get(system)!;
  const events: FeedEventInput[] = fresh.map((m) => {
    const wos = m.workOrders.map((w) => facts.workOrders.get(w.id)!).filter(Boolean);
    const top = wos.find((w) => w.top) ?? wos[0];
    return {
      system,
      type: 'work_order.planned',
      occurredAt: new Date().toISOString(),
      externalRef: m.externalRef,
      payload: {
        workOrderId: top.id,
        itemCode: o.item(top.itemCode),
        ...o.qty(top.itemCode, top.qty, top.uom),
        dueDate: dueDates.get(m.externalRef) ?? null,
        plannedStart: top.plannedStart,
        plannedEnd: top.plannedEnd,
        workOrders: wos.map((w) => ({
          id: w.id, parentWorkOrder: w.parentWorkOrder, itemCode: o.item(w.itemCode), ...o.qty(w.itemCode, w.qty, w.uom), plannedStart: w.plannedStart, plannedEnd: w.plannedEnd,
        })),
      },
    };
  });
  await appendFeed(uow, events);
}

/**
 * `order_change.accepted` / `order_change.rejected` for changes an outside system asked for, in the
 * unit of work that applied or refused them (the MES answers a sales order's change with a message
 * to the ERP; an outside request's change is answered here, to its system alone).
 */
export async function feedChangeAnswers(
  uow: UnitOfWork,
  system: string,
  answers: { externalRef: string; changeId: string; accepted: boolean; reason: string; workOrders: { id: string; itemCode: string; qty: number; newQty: number; goodQty: number; status: string }[] }[],
) {
  if (!answers.length) return;
  const facts = await workOrderFacts(uow, answers.flatMap((a) => a.workOrders.map((w) => w.id)));
  const o = (await outsides(uow, facts, [system])).get(system)!;
  const at = new Date().toISOString();
  await appendFeed(
    uow,
    answers.map((a) => ({
      system,
      type: a.accepted ? 'order_change.accepted' : 'order_change.rejected',
      occurredAt: at,
      externalRef: a.externalRef,
      payload: {
        changeId: a.changeId,
        reason: a.reason,
        workOrders: a.workOrders.map((w) => {
          const uom = facts.workOrders.get(w.id)?.uom;
          return { id: w.id, itemCode: o.item(w.itemCode), ...o.qty(w.itemCode, w.qty, uom), newQty: o.same(uom ?? 'pcs', w.newQty), goodQty: o.same(uom ?? 'pcs', w.goodQty), status: w.status };
        }),
      },
    })),
  );
}
