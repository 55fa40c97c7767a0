-- The date promised when the order was released: the finite-capacity plan's end at acknowledgement.
-- Later replans move plannedEnd; the promise stays, so a slip against it is visible.
alter table erp.sales_order_lines add column if not exists promise_date date;
