import { conflict, type ModuleDeps, type Queryable } from '../platform/index.ts';
import { findWorkOrders, mesPlanningInputs, recordEquipmentEvent, reportOperation } from '../mes/index.ts';
import type { ShopFloorPort } from './port.ts';

/**
 * The shop-floor port over the MES door (src/mes/index.ts): work centres, the running operation
 * of a work centre, production reports and equipment events — all in the caller's unit of work.
 */
export function mesShopFloorPort(deps: ModuleDeps): ShopFloorPort {
  return {
    async resolveWorkCenter(q: Queryable, code: string) {
      const { workCenters } = await mesPlanningInputs(q);
      const wc = workCenters.find((w) => w.code === code);
      return wc ? { code: wc.code, plant: wc.plant } : null;
    },

    async reportCount(uow, c) {
      const running = (await findWorkOrders(uow, { status: 'in_progress' }))
        .flatMap((wo) => wo.operations.map((op) => ({ wo, op })))
        .filter(({ op }) => op.workCenter === c.workCenter && op.status === 'running' && !op.paused);
      const target = c.operation ? running.find(({ op }) => op.id === c.operation) : running[0];
      if (!target)
        throw conflict(
          c.operation
            ? `operation ${c.operation} is not running on work centre ${c.workCenter}`
            : `work centre ${c.workCenter} has no running operation`,
          { workCenter: c.workCenter, operation: c.operation ?? null },
        );
      await reportOperation(uow, deps, target.op.id, { goodQty: c.good, scrapQty: c.scrap });
    },

    async recordState(uow, s) {
      await recordEquipmentEvent(uow, deps, { workCenter: s.workCenter, state: s.state, reason: s.reason, at: s.at.toISOString() });
    },
  };
}
