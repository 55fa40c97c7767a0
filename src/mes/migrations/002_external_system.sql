-- The outside system (integration.systems.code) that asked for a work order, beside its externalRef.
-- A request is known by (system, externalRef): two systems may use the same reference.
alter table mes.work_orders add column external_system text;
