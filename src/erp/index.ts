import { fileURLToPath } from 'node:url';
import { inRuns, type BatchHandler, type MessageHandler, type ModuleDefinition } from '../platform/index.ts';
import { bomRoutes } from './boms/routes.ts';
import { inventoryRoutes } from './inventory/routes.ts';
import { onMaterialActual, onMesLot, onProducedLot } from './inventory/handlers.ts';
import { itemRoutes } from './items/routes.ts';
import { partnerRoutes } from './partners/routes.ts';
import { purchasingRoutes } from './purchasing/routes.ts';
import { onPerformances, onScheduleAcknowledged, onScheduleResponse, onScheduleSynced } from './sales/handlers.ts';
import { salesRoutes } from './sales/routes.ts';
import { transferRoutes } from './transfer/routes.ts';

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

/** The ERP: items, BOMs, partners, lot inventory, sales, purchasing, costing; MES facts arrive as messages. */
export const erpModule: ModuleDefinition = {
  name: 'erp',
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(router) {
    itemRoutes(router);
    partnerRoutes(router);
    bomRoutes(router);
    inventoryRoutes(router);
    salesRoutes(router);
    purchasingRoutes(router);
    transferRoutes(router);
  },
  subscribe(subs) {
    // One consumer for everything the MES says: the relay keeps the order of one consumer's
    // messages, so a lot is produced before it is consumed, and costs are booked before receipts.
    // Runs of progress reports are applied at once (ADR 0005).
    const dispatch = inRuns(MES_RUNS, (msg, uow) => MES_HANDLERS[msg.type](msg, uow));
    subs.subscribeBatch('erp', 'erp.mes-inbound', [...Object.keys(MES_HANDLERS), ...Object.keys(MES_RUNS)], (msgs, uow) => {
      // Work of a plant run by an outside ERP (`outsideErp` on the MES's message): reported to that
      // system alone, through integration's feed; the built-in ERP neither books nor alerts for it.
      const ours = msgs.filter((m) => !(m.payload as { outsideErp?: string } | null)?.outsideErp);
      return ours.length ? dispatch(ours, uow) : Promise.resolve();
    });
  },
};

export { erpPlanningInputs, erpReconcileView, erpKpiFacts } from './read-api.ts';
export { orderCost as erpOrderCost } from './costing/service.ts';
export { orderJournal as erpOrderJournal } from './costing/journal.ts';
export { ORDER_TRANSITIONS as SALES_ORDER_TRANSITIONS } from './sales/model.ts';
export { createRequisition as erpCreateRequisition } from './purchasing/service.ts';
