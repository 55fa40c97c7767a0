/** A row of mes.consumptions (material consumed by lot against a work order). */
export interface ConsumptionRow {
  id: number;
  work_order_id: string;
  item_code: string;
  lot: string;
  qty: string;
  at: Date;
}
