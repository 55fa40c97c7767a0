export { solveJobShop } from './jssp/solve.ts';
export { checkSchedule } from './jssp/check.ts';
export { parseJobShop, JobShopFormatError } from './jssp/parse.ts';
export type {
  ShopObjective,
  ShopProblem,
  ShopSchedule,
  ShopWorkOrder,
} from './shop/types.ts';
export { scheduleShop } from './shop/schedule.ts';
export { checkShopPlan } from './shop/check.ts';
