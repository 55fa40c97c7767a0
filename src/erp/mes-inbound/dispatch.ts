import { inRuns, type BatchHandler, type MessageHandler, type Subscriptions } from '../../platform/index.ts';
import { onScheduleResponse } from './changes.ts';
import { onMaterialActual, onMesLot, onProducedLot } from './lots.ts';
import { onScheduleAcknowledged, onScheduleSynced } from './plans.ts';
import { onPerformances } from './progress.ts';

/** What the MES says, one message at a time. */
const MES_HANDLERS: Record<string, MessageHandler> = {
  SyncOperationsSchedule: onScheduleSynced,
  RespondOperationsSchedule: onScheduleResponse,
  ProcessMaterialActual: onMaterialActual,
  ProcessProducedLot: onProducedLot,
  SyncMaterialLot: onMesLot,
};
/** What the MES says often: a run of these is applied at once (ADR 0005). */
const MES_RUNS: Record<string, BatchHandler> = {
  ProcessOperationsPerformance: onPerformances,
  AcknowledgeOperationsSchedule: onScheduleAcknowledged,
};

/**
 * One consumer for everything the MES says: the relay keeps the order of one consumer's messages,
 * so a lot is produced before it is consumed, and costs are booked before receipts. Runs of
 * progress reports are applied at once (ADR 0005).
 */
export function subscribeMesInbound(subs: Subscriptions) {
  const dispatch = inRuns(MES_RUNS, (msg, uow) => MES_HANDLERS[msg.type](msg, uow));
  subs.subscribeBatch('erp', 'erp.mes-inbound', [...Object.keys(MES_HANDLERS), ...Object.keys(MES_RUNS)], (msgs, uow) => {
    // Work of a plant run by an outside ERP (`outsideErp` on the MES's message): reported to that
    // system alone, through integration's feed; the built-in ERP neither books nor alerts for it.
    const ours = msgs.filter((m) => !(m.payload as { outsideErp?: string } | null)?.outsideErp);
    return ours.length ? dispatch(ours, uow) : Promise.resolve();
  });
}
