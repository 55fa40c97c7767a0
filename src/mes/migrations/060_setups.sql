-- Sequence-dependent setups (issue 17): a routing operation may name its setup family (a colour, a
-- die, a material), copied onto work orders' operations like the setup minutes; a work centre may
-- carry its changeover matrix. The matrix is kept as jsonb on the centre ([{from, to, minutes}]):
-- it is read and written whole with the centre, never queried by pair.
alter table mes.routing_operations add column if not exists setup_family text;
alter table mes.operations add column if not exists setup_family text;
alter table mes.work_centers add column if not exists setup_matrix jsonb;
