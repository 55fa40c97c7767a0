/** MRP — material requirements planning (pure). */
export { runMrp } from './run-mrp.ts';
export { MrpBomCycleError, MrpInputError } from './errors.ts';
export { addDays, daysBetween, formatDate, parseDate } from './calendar-date.ts';
export type {
  ItemKind,
  LotSizing,
  MrpBom,
  MrpBomComponent,
  MrpDemand,
  MrpException,
  MrpInput,
  MrpItem,
  MrpOptions,
  MrpResult,
  MrpScheduledReceipt,
  MrpStock,
  PlannedOrder,
} from './model.ts';
