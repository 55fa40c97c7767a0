create schema if not exists integration;

-- An outside ERP or MES (SAP, Kingdee, Yonyou, Odoo, a line controller) with its own codes.
create table integration.systems (
  code text primary key,
  name text not null,
  role text not null check (role in ('erp', 'mes')),
  webhook_url text,
  webhook_secret text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
