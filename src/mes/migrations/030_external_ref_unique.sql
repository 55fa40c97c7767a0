-- One top work order per outside request: (system, externalRef) is unique, so two concurrent
-- copies of the same request can never make two work order trees (createExternalWorkOrders also
-- takes a transaction lock per reference, so the second copy waits and finds the first's).
create unique index work_orders_external_top on mes.work_orders (coalesce(external_system, ''), external_ref)
  where top and external_ref is not null;
