/** A row of erp.purchase_requisitions, with its need date as text (`need_date::text as need`). */
export interface RequisitionRow {
  id: string;
  item_code: string;
  qty: string;
  reason: 'reorder' | 'mrp';
  status: 'open' | 'converted' | 'cancelled';
  need_date: Date | null;
  need: string | null;
  purchase_order_id: string | null;
  created_at: Date;
}

/** A row of erp.purchase_orders. */
export interface PurchaseOrderRow {
  id: string;
  supplier: string;
  status: 'open' | 'received' | 'cancelled';
  created_at: Date;
}

/** A row of erp.purchase_order_lines, with its due date as text (`due_date::text as due`). */
export interface PurchaseOrderLineRow {
  order_id: string;
  line_no: number;
  item_code: string;
  qty: string;
  received_qty: string;
  unit_cost: string;
  due_date: Date | null;
  due: string | null;
  requisition_id: string | null;
}
