-- The warehouse material for a work centre's work is staged in (issue 15): a work order's supply
-- warehouse is the one of its first operation's work centre; the ERP transfers staged lots there.
alter table mes.work_centers add column if not exists supply_warehouse text;
