export type { JobShopInstance, JobShopOperation, JobShopSolution, SolveJobShopOptions } from './jssp/types.ts';
export { solveJobShop } from './jssp/solve.ts';
export { checkSchedule } from './jssp/check.ts';
export { parseJobShop, JobShopFormatError } from './jssp/parse.ts';
export type {
  ScheduleShopOptions,
  ScheduledOperation,
  ShopObjective,
  ShopOperation,
  ShopProblem,
  ShopSchedule,
  ShopWorkOrder,
  WorkOrderOutcome,
} from './shop/types.ts';
export { ShopProblemError } from './shop/types.ts';
export { scheduleShop } from './shop/schedule.ts';
export { checkShopPlan, type PlannedTimes } from './shop/check.ts';
