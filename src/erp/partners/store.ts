/** A row of erp.customers or erp.suppliers (the two tables have the same columns). */
export interface PartnerRow {
  code: string;
  name: string;
  created_at: Date;
}
