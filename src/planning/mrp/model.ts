/**
 * MRP (material requirements planning) — the published types of the engine.
 * Pure data: no IO, no clock. Dates are calendar days 'YYYY-MM-DD'; quantities are decimals
 * (the engine computes in integer millionths, so at most 6 decimals are kept).
 */

export type ItemKind = 'raw' | 'semi' | 'finished';

/** How a net requirement becomes a planned order quantity. */
export type LotSizing =
  | { rule: 'lot-for-lot' }
  /** order a whole multiple of `qty` (the smallest multiple that covers the net requirement) */
  | { rule: 'fixed'; qty: number }
  /** order the net requirement, but never less than `qty` */
  | { rule: 'minimum'; qty: number };

export interface MrpItem {
  code: string;
  kind: ItemKind;
  /** calendar days from release to due date */
  leadTimeDays: number;
  /** default: lot-for-lot */
  lotSizing?: LotSizing;
  /** projected stock is kept at or above this quantity; default 0 */
  safetyStock?: number;
  /** bought (purchase order) rather than made (work order); default: kind === 'raw' */
  purchased?: boolean;
}

export interface MrpBomComponent {
  itemCode: string;
  /** quantity per ONE parent */
  qty: number;
  /** 0.05 = 5 % extra; default 0 */
  scrapFactor?: number;
}

export interface MrpBom {
  parent: string;
  components: MrpBomComponent[];
}

/** Independent demand: a released sales order line (`SO-…/lineNo`) or the material of an open work order. */
export interface MrpDemand {
  itemCode: string;
  qty: number;
  dueDate: string;
  ref: string;
}

export interface MrpStock {
  itemCode: string;
  qty: number;
}

/** Open purchase orders, requisitions, the output of open work orders. */
export interface MrpScheduledReceipt {
  itemCode: string;
  qty: number;
  dueDate: string;
  ref: string;
}

export interface MrpInput {
  items: MrpItem[];
  boms: MrpBom[];
  demands: MrpDemand[];
  /** available stock */
  onHand: MrpStock[];
  scheduledReceipts: MrpScheduledReceipt[];
  today: string;
  /** demands and receipts due after today + horizonDays are left out; default: no horizon */
  horizonDays?: number;
}

export interface MrpOptions {
  /** compute `peggedTo` (default true); false leaves every `peggedTo` empty and runs faster */
  pegging?: boolean;
  /** told now and then how many of the items are planned (for progress bars and job status) */
  onProgress?: (planned: number, total: number) => void;
}

export interface PlannedOrder {
  itemCode: string;
  qty: number;
  kind: 'purchase' | 'make';
  /** dueDate − the item's lead time (calendar days) */
  releaseDate: string;
  dueDate: string;
  /** refs of the top-level demands this supply serves (through every BOM level), sorted */
  peggedTo: string[];
}

export type MrpException =
  /** the planned order should have been released already: expedite it */
  | {
      kind: 'past-due-release';
      itemCode: string;
      qty: number;
      releaseDate: string;
      dueDate: string;
      daysLate: number;
      /** the planned order's own peggedTo (the same array) */
      peggedTo: string[];
    }
  /** a made item needs a planned order but has no BOM: its components are not planned */
  | { kind: 'missing-bom'; itemCode: string };

export interface MrpResult {
  /** ordered by itemCode, then dueDate */
  plannedOrders: PlannedOrder[];
  /** ordered by itemCode, then dueDate (missing-bom first for its item) */
  exceptions: MrpException[];
}
