import { z } from 'zod';

/**
 * The shop-floor topic model of CONTRACT.md ("Shop-floor MQTT"): topics, payload schemas per kind
 * and the pure first step of ingest (parse + validate). No IO here.
 */
export const TOPIC_PREFIX = 'closeloop/v1/';
export const TOPIC_FILTER = 'closeloop/v1/+/+/+';
export const KINDS = ['state', 'count', 'telemetry'] as const;
export type Kind = (typeof KINDS)[number];

const instant = z.iso.datetime({ offset: true });
const quantity = z.number().finite().nonnegative();

export const StatePayload = z.strictObject({
  state: z.enum(['running', 'idle', 'down']),
  reason: z.string().max(200).optional(),
  at: instant.optional(),
});
export const CountPayload = z
  .strictObject({
    /** Unique per work centre: a count whose id is already stored is not counted again (a redelivery). */
    id: z.string().min(1).max(100).optional(),
    operation: z.string().min(1).max(100).optional(),
    good: quantity,
    scrap: quantity.optional(),
    at: instant.optional(),
  })
  .refine((c) => c.good + (c.scrap ?? 0) > 0, { message: 'good + scrap must be above 0' });
/** `{at?, ...numbers}`: every other field is a finite number (spindle load, temperature, kW…). */
export const TelemetryPayload = z
  .record(z.string().min(1).max(100), z.unknown())
  .superRefine((obj, ctx) => {
    let n = 0;
    let bad = 0;
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'at') {
        if (!instant.safeParse(v).success) {
          bad++;
          ctx.addIssue({ code: 'custom', path: ['at'], message: 'must be an ISO-8601 instant' });
        }
      } else if (typeof v !== 'number' || !Number.isFinite(v)) {
        bad++;
        ctx.addIssue({ code: 'custom', path: [k], message: 'must be a finite number' });
      } else n++;
    }
    if (n === 0 && !bad) ctx.addIssue({ code: 'custom', message: 'telemetry needs at least one number' });
    if (n > 100) ctx.addIssue({ code: 'custom', message: 'telemetry has more than 100 values' });
  });

export type StateReading = z.output<typeof StatePayload>;

/** Where a message came from and what it names, before the work centre is known to exist. */
export interface Envelope {
  source: 'mqtt' | 'http';
  /** From the topic; absent over HTTP (the work centre's own plant is then taken). */
  plant?: string;
  workCenter: string;
  kind: string;
  topic?: string;
  /** Reception time, ms since the epoch (the default `at`). */
  receivedAt: number;
  /** The scope of the device's machine account (MQTT_AUTH=on or an API key over HTTP). */
  scope?: { plants?: string[]; workCenters?: string[] };
}

export type Reading =
  | ({ ok: true; kind: 'state'; at: Date; state: StateReading['state']; reason?: string } & Envelope)
  | ({ ok: true; kind: 'count'; at: Date; id?: string; operation?: string; good: number; scrap: number } & Envelope)
  | ({ ok: true; kind: 'telemetry'; at: Date; values: Record<string, number> } & Envelope)
  | ({ ok: false; reason: string; payload: unknown } & Envelope);

export type Accepted = Extract<Reading, { ok: true }>;

/** `closeloop/v1/{plant}/{workCenter}/{kind}` → its parts; null for a topic outside the model. */
export function parseTopic(topic: string): { plant: string; workCenter: string; kind: string } | null {
  if (!topic.startsWith(TOPIC_PREFIX)) return null;
  const parts = topic.slice(TOPIC_PREFIX.length).split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  return { plant: parts[0], workCenter: parts[1], kind: parts[2] };
}

export const topicOf = (plant: string, workCenter: string, kind: Kind) => `${TOPIC_PREFIX}${plant}/${workCenter}/${kind}`;

/** Raw bytes → JSON → the kind's schema. Never throws: a bad message comes back as `ok: false` with its reason. */
export function readPayload(env: Envelope, raw: Buffer | string | unknown): Reading {
  let payload: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    const text = raw.toString();
    try {
      payload = JSON.parse(text);
    } catch {
      return { ...env, ok: false, reason: 'payload is not JSON', payload: { raw: text.slice(0, 2000) } };
    }
  }
  return validate(env, payload);
}

export function validate(env: Envelope, payload: unknown): Reading {
  const reject = (reason: string): Reading => ({ ...env, ok: false, reason, payload });
  if (!(KINDS as readonly string[]).includes(env.kind)) return reject(`unknown kind "${env.kind}" (expected state, count or telemetry)`);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return reject('payload must be a JSON object');
  const at = (s?: string) => (s ? new Date(s) : new Date(env.receivedAt));
  switch (env.kind as Kind) {
    case 'state': {
      const r = StatePayload.safeParse(payload);
      if (!r.success) return reject(explain(r.error));
      return { ...env, ok: true, kind: 'state', at: at(r.data.at), state: r.data.state, reason: r.data.reason };
    }
    case 'count': {
      const r = CountPayload.safeParse(payload);
      if (!r.success) return reject(explain(r.error));
      return { ...env, ok: true, kind: 'count', at: at(r.data.at), id: r.data.id, operation: r.data.operation, good: r.data.good, scrap: r.data.scrap ?? 0 };
    }
    case 'telemetry': {
      // the hot path (thousands a second): checked by hand, the schema only explains a refusal
      const values: Record<string, number> = {};
      let n = 0;
      let when: unknown;
      let fine = true;
      for (const k in payload as Record<string, unknown>) {
        const v = (payload as Record<string, unknown>)[k];
        if (k === 'at') when = v;
        else if (typeof v === 'number' && Number.isFinite(v) && k.length <= 100) {
          values[k] = v;
          n++;
        } else fine = false;
      }
      const at = when === undefined ? new Date(env.receivedAt) : typeof when === 'string' && ISO.test(when) ? new Date(when) : null;
      if (!fine || n === 0 || n > 100 || !at || Number.isNaN(at.getTime())) {
        const r = TelemetryPayload.safeParse(payload);
        return reject(r.success ? 'at must be an ISO-8601 instant' : explain(r.error));
      }
      return { ...env, ok: true, kind: 'telemetry', at, values };
    }
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function explain(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** A device may only speak for the plants and work centres of its scope (empty = all). */
export function outsideScope(r: Envelope, plant: string): string | null {
  const s = r.scope;
  if (s?.plants?.length && !s.plants.includes(plant)) return `plant ${plant} is outside the device's scope`;
  if (s?.workCenters?.length && !s.workCenters.includes(r.workCenter)) return `work centre ${r.workCenter} is outside the device's scope`;
  return null;
}
