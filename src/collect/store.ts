import type { Queryable } from '../platform/index.ts';

/** SQL of the collect schema (telemetry) and of the ingest dead letters in platform.dead_letters. */

export interface TelemetryRow {
  workCenter: string;
  plant: string;
  at: Date;
  values: Record<string, number>;
}

export async function insertTelemetry(q: Queryable, rows: TelemetryRow[]) {
  if (!rows.length) return;
  await q.query(
    `insert into collect.telemetry (work_center, plant, at, "values")
     select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[])`,
    [rows.map((r) => r.workCenter), rows.map((r) => r.plant), rows.map((r) => r.at.toISOString()), rows.map((r) => JSON.stringify(r.values))],
  );
}

export interface DeadLetterRow {
  source: string;
  kind: string;
  payload: unknown;
  reason: string;
}

export async function insertDeadLetters(q: Queryable, rows: DeadLetterRow[]) {
  if (!rows.length) return;
  await q.query(
    `insert into platform.dead_letters (consumer, source, type, payload, reason)
     select $1, * from unnest($2::text[], $3::text[], $4::jsonb[], $5::text[])`,
    [
      'collect',
      rows.map((r) => r.source),
      rows.map((r) => r.kind.slice(0, 100)),
      rows.map((r) => JSON.stringify(r.payload ?? null)),
      rows.map((r) => r.reason.slice(0, 1000)),
    ],
  );
}

export async function telemetryBetween(q: Queryable, workCenter: string, from: Date, to: Date, limit: number) {
  const rows = await q.query<{ at: Date | string; values: Record<string, number> }>(
    `select at, "values" from collect.telemetry
     where at >= $2 and at <= $3 and work_center = $1
     order by at limit $4`,
    [workCenter, from.toISOString(), to.toISOString(), limit],
  );
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), ...r.values }));
}

/** The (work centre, id) pairs of counts already stored. */
export async function storedCountIds(q: Queryable, keys: { workCenter: string; id: string }[]) {
  const rows = await q.query<{ work_center: string; id: string }>(
    `select work_center, id from collect.count_ids where (work_center, id) in (select * from unnest($1::text[], $2::text[]))`,
    [keys.map((k) => k.workCenter), keys.map((k) => k.id)],
  );
  return rows.map((r) => ({ workCenter: r.work_center, id: r.id }));
}

/** Records a count's id; false when it was stored already. */
export async function claimCountId(q: Queryable, workCenter: string, id: string): Promise<boolean> {
  const rows = await q.query<{ id: string }>(`insert into collect.count_ids (work_center, id) values ($1, $2) on conflict do nothing returning id`, [workCenter, id]);
  return rows.length > 0;
}

/** Of these API keys, those not revoked (with their roles). */
export async function liveApiKeys(q: Queryable, ids: string[]) {
  return q.query<{ id: string; roles: string[] }>(`select id, roles from platform.api_keys where id = any($1::text[]) and revoked_at is null`, [ids]);
}
