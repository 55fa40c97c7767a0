-- The plants an outside ERP runs: their work orders come only from it and are reported only to it
-- (the MES keeps its own copy in mes.outside_erp_plants, set through the MES's door).
alter table integration.systems add column plants text[] not null default '{}';
