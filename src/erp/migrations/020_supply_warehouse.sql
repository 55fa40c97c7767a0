-- Where material for a work order is staged (told by the MES with its planned dates).
alter table erp.work_orders add column if not exists supply_warehouse text;
