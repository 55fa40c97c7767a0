import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../platform/index.ts';
import { bomRoutes } from './boms/routes.ts';
import { inventoryRoutes } from './inventory/routes.ts';
import { itemRoutes } from './items/routes.ts';
import { subscribeMesInbound } from './mes-inbound/dispatch.ts';
import { partnerRoutes } from './partners/routes.ts';
import { purchasingRoutes } from './purchasing/routes.ts';
import { salesRoutes } from './sales/routes.ts';
import { transferRoutes } from './transfer/routes.ts';
import { unitRoutes } from './units/routes.ts';
import { warehouseRoutes } from './warehouses/routes.ts';

/** The ERP: items, BOMs, partners, lot inventory, sales, purchasing, costing; MES facts arrive as messages. */
export const erpModule: ModuleDefinition = {
  name: 'erp',
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes(router) {
    itemRoutes(router);
    partnerRoutes(router);
    warehouseRoutes(router);
    unitRoutes(router);
    bomRoutes(router);
    inventoryRoutes(router);
    salesRoutes(router);
    purchasingRoutes(router);
    transferRoutes(router);
  },
  subscribe(subs) {
    subscribeMesInbound(subs);
  },
};

export { erpPlanningInputs, erpReconcileView, erpKpiFacts, erpDeliveryStates } from './read-api.ts';
export { createRequisition as erpCreateRequisition } from './purchasing/service.ts';
