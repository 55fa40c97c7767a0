-- Accounts that hold (issue 14): who changed a user last, revoked keys kept for their history,
-- idempotency keys remember the body they answered and the answer's content type.
alter table platform.users add column updated_at timestamptz not null default now();
alter table platform.api_keys add column revoked_by text;
alter table platform.idempotency add column body_hash text;
alter table platform.idempotency add column content_type text;
