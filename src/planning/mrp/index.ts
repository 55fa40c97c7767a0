/** MRP — material requirements planning (pure). */
export { runMrp } from './run-mrp.ts';
export { MrpBomCycleError, MrpInputError } from './errors.ts';
export { addDays } from './calendar-date.ts';
export type {
  LotSizing,
  MrpDemand,
  MrpInput,
  MrpItem,
  MrpResult,
  MrpScheduledReceipt,
  PlannedOrder,
} from './model.ts';
