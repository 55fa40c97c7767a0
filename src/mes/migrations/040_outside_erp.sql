-- Plants whose ERP is outside (an integration system of role erp names them): their work orders
-- come only from that system, and what happens to them is reported to it alone. `outside_erp` on a
-- work order is that system; the MES's messages about it carry `outsideErp`, which the built-in
-- ERP skips.
create table mes.outside_erp_plants (
  plant text primary key,
  system text not null
);
alter table mes.work_orders add column outside_erp text;
