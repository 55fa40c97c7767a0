export type { JobShopInstance, JobShopOperation, JobShopSolution, SolveJobShopOptions } from './types.ts';
export { solveJobShop } from './solve.ts';
export { checkSchedule } from './check.ts';
export { parseJobShop, JobShopFormatError } from './parse.ts';
export type {
  ScheduleShopOptions,
  ScheduledOperation,
  ShopObjective,
  ShopOperation,
  ShopProblem,
  ShopSchedule,
  ShopWorkOrder,
  WorkOrderOutcome,
} from './shop-types.ts';
export { ShopProblemError } from './shop-types.ts';
export { scheduleShop } from './shop.ts';
