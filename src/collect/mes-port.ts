import { notFound, type ModuleDeps } from '../platform/index.ts';
import type { ShopFloorPort } from './port.ts';

/**
 * The shop-floor port over the MES door (src/mes/index.ts).
 * TODO(wiring): the MES does not export work-centre look-up, reporting and equipment events yet.
 */
export function mesShopFloorPort(_deps: ModuleDeps): ShopFloorPort {
  return {
    resolveWorkCenter: async () => null,
    reportCount: async (_uow, c) => {
      throw notFound('work centre', c.workCenter);
    },
    recordState: async (_uow, s) => {
      throw notFound('work centre', s.workCenter);
    },
  };
}
