import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../platform/index.ts';
import { equipmentRoutes } from './equipment/routes.ts';
import { executionRoutes } from './execution/routes.ts';
import { genealogyRoutes } from './genealogy/routes.ts';
import { masterDataHandlers } from './master-data/handlers.ts';
import { materialRoutes } from './materials/routes.ts';
import { qualityRoutes } from './quality/routes.ts';
import { resourceRoutes } from './resources/routes.ts';
import { routingRoutes } from './routings/routes.ts';
import { orderHandlers } from './work-orders/handlers.ts';
import { workOrderRoutes } from './work-orders/routes.ts';

/**
 * The MES door (DESIGN.md convention 1): the module definition and the read API other modules
 * (integration, planning, cockpit, collect) may use. Nothing else of src/mes is public.
 */
export const mesModule: ModuleDefinition = {
  name: 'mes',
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(router, deps) {
    resourceRoutes(router, deps);
    routingRoutes(router, deps);
    workOrderRoutes(router, deps);
    executionRoutes(router, deps);
    materialRoutes(router, deps);
    qualityRoutes(router, deps);
    equipmentRoutes(router, deps);
    genealogyRoutes(router);
  },
  subscribe(subs, deps) {
    masterDataHandlers(subs, deps);
    orderHandlers(subs, deps);
  },
};

/** Requests of outside systems, known by (system, externalRef): creation (never twice), change, cancel, the operation reported on. */
export {
  createExternalWorkOrders,
  changeExternalOrder,
  cancelExternalOrder,
  findExternalOperation,
} from './work-orders/external.ts';
export { consumeMaterial } from './materials/service.ts';

export { mesPlanningInputs, applyPlannedDates, operationPlanStates } from './views/planning.ts';
export { mesReconcileView, mesKpiFacts, mesWipByWorkCenter, workOrdersOfSalesOrder, performanceOfWorkOrder } from './views/reads.ts';
export { findWorkOrders } from './work-orders/store.ts';
export { traceLot } from './genealogy/store.ts';
export { recordEquipmentEvent } from './equipment/service.ts';
export { reportOperation, startOperation } from './execution/service.ts';
export { routingOperations as mesRouting } from './routings/service.ts';
export { mesKnownItems, mesKnownWorkCenters, mesKnownPlants } from './views/items.ts';
export { setOutsideErpPlants, workOrderFacts, type OutsideWorkOrderFacts } from './work-orders/outside-erp.ts';
export { releaseMakeOrders as mesReleaseMakeOrders } from './work-orders/service.ts';
export { componentQty as mesComponentQty } from './work-orders/model.ts';
