-- Alerts in the reader's language: beside the English message (kept: outside programs read it),
-- the key of the message's text and the values it fills in, e.g. 'alert.reorder_point' with
-- {"item": "RIM", "available": 4, …}. The web shows the key's text in en or zh-CN, and the stored
-- message when there is no key (alerts raised before this, or by code that gives none).
alter table platform.alerts
  add column message_key text,
  add column message_params jsonb check (message_params is null or jsonb_typeof(message_params) = 'object');
