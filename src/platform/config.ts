/** Configuration from the environment, with the embedded defaults of CONTRACT.md. */
export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  natsUrl?: string;
  /** JetStream stream of the bus (subjects `<stream lower-case>.msg.<type>`); one per Closeloop installation. */
  natsStream: string;
  mqttUrl?: string;
  /** Client id at the outside broker (its persistent session); default `closeloop-collect-<host>`. */
  mqttClientId?: string;
  /** With several app instances: an MQTT shared subscription group, so each machine message reaches one instance. */
  mqttSharedGroup?: string;
  mqttPort: number;
  /** Devices sign in with an API key (default). Off only by choice, and then only on a loopback listener. */
  mqttAuth: boolean;
  /** Address of the embedded broker's listeners (default: HOST). */
  mqttHost?: string;
  /** An optional TLS listener of the embedded broker: PEM files of its certificate and key. */
  mqttTlsCert?: string;
  mqttTlsKey?: string;
  mqttTlsPort: number;
  /** How often the keys of connected devices are checked again (a revoked key is disconnected). */
  mqttKeyRecheckMs: number;
  /** JetStream: a message fetched by an instance and not acknowledged within this is offered again (in-progress acks extend it). */
  natsAckWaitMs: number;
  adminPassword?: string;
  jwtSecret?: string;
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  logLevel: string;
  /** Labour rate of a work centre that names none, per hour. */
  defaultLaborCostPerHour: number;
  /** Lot numbers of finished work: {item}, {wo}, {yyyy}{mm}{dd}, {seq}. */
  lotPattern: string;
  plantUtcOffsetMinutes: number;
  /** A planning run (MRP) not finished after this long answers 202 with a job to follow; 0 = always a job. */
  planningJobThresholdMs: number;
  /** Connections of the PostgreSQL server pool (DATABASE_URL). */
  dbPoolSize: number;
  /** Scheduled reconciliation of ERP against MES; 0 turns it off. */
  reconcileEveryMinutes: number;
  /** Replanning when the floor changes (a long breakdown, a centre back up, new or changed orders); false turns it off. */
  replanOnEvents: boolean;
  /** A work centre down at least this long triggers a replan. */
  replanDownThresholdMs: number;
  /** Triggers closer together than this are planned once, after the last (a flapping machine does not thrash the plan). */
  replanDebounceMs: number;
  /** Pending operations planned to start within this many hours keep their dates in a replan. */
  replanFrozenHours: number;
  /** The solver's search time in a replan (an incremental replan plans a few hundred operations at most: 0.2 s keeps event → ERP under a second at 2,000 work orders). */
  replanTimeLimitSeconds: number;
  /** How long a broken-down work centre is assumed to stay down when it is replanned around. */
  replanAssumedDownHours: number;
  /**
   * A full reschedule every day at this plant time ("HH:MM"), null for none: incremental replans
   * never improve work they do not touch, so a plan patched by a day of events drifts (ADR 0012).
   */
  rescheduleDailyAt: string | null;
  /** The solver's search time in the daily reschedule. */
  rescheduleSeconds: number;
}

/** A setting the environment gives that cannot be used: the start stops, naming it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** "HH:MM" (00:00–23:59), or off/empty for none. */
const dailyAt = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const v = env[name];
  if (v === undefined || v === '' || v === 'off') return null;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) throw new ConfigError(`${name}: expected a plant time HH:MM (00:00–23:59) or off, not ${JSON.stringify(v)}`);
  return v;
};

const int = (env: NodeJS.ProcessEnv, name: string, d: number) => {
  const v = env[name];
  if (v === undefined || v === '') return d;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ConfigError(`${name}: expected a number, not ${JSON.stringify(v)}`);
  return n;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int(env, 'PORT', 8080),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.CLOSELOOP_DATA_DIR || './data',
    natsUrl: env.NATS_URL || undefined,
    natsStream: env.NATS_STREAM || 'CLOSELOOP',
    mqttUrl: env.MQTT_URL || undefined,
    mqttClientId: env.MQTT_CLIENT_ID || undefined,
    mqttSharedGroup: env.MQTT_SHARED_GROUP || undefined,
    mqttPort: int(env, 'MQTT_PORT', 1883),
    mqttAuth: env.MQTT_AUTH !== 'off',
    mqttHost: env.MQTT_HOST || undefined,
    mqttTlsCert: env.MQTT_TLS_CERT || undefined,
    mqttTlsKey: env.MQTT_TLS_KEY || undefined,
    mqttTlsPort: int(env, 'MQTT_TLS_PORT', 8883),
    mqttKeyRecheckMs: int(env, 'MQTT_KEY_RECHECK_MS', 5_000),
    natsAckWaitMs: int(env, 'NATS_ACK_WAIT_MS', 5_000),
    adminPassword: env.CLOSELOOP_ADMIN_PASSWORD || undefined,
    jwtSecret: env.CLOSELOOP_JWT_SECRET || undefined,
    tokenTtlSeconds: int(env, 'CLOSELOOP_TOKEN_TTL', 8 * 3600),
    bodyLimitBytes: int(env, 'CLOSELOOP_BODY_LIMIT', 5 * 1024 * 1024),
    logLevel: env.LOG_LEVEL || 'info',
    defaultLaborCostPerHour: int(env, 'CLOSELOOP_LABOR_RATE', 30),
    lotPattern: env.CLOSELOOP_LOT_PATTERN || '{item}-{yyyy}{mm}{dd}-{seq}',
    plantUtcOffsetMinutes: int(env, 'CLOSELOOP_PLANT_UTC_OFFSET', 0),
    reconcileEveryMinutes: int(env, 'CLOSELOOP_RECONCILE_MINUTES', 15),
    dbPoolSize: int(env, 'CLOSELOOP_DB_POOL', 20),
    planningJobThresholdMs: int(env, 'CLOSELOOP_JOB_THRESHOLD_MS', 1000),
    replanOnEvents: env.CLOSELOOP_REPLAN !== 'off',
    replanDownThresholdMs: int(env, 'CLOSELOOP_REPLAN_DOWN_MS', 5 * 60_000),
    replanDebounceMs: int(env, 'CLOSELOOP_REPLAN_DEBOUNCE_MS', 30_000),
    replanFrozenHours: int(env, 'CLOSELOOP_REPLAN_FROZEN_HOURS', 4),
    replanTimeLimitSeconds: int(env, 'CLOSELOOP_REPLAN_SECONDS', 0.2),
    replanAssumedDownHours: int(env, 'CLOSELOOP_REPLAN_DOWN_HOURS', 8),
    rescheduleDailyAt: dailyAt(env, 'CLOSELOOP_RESCHEDULE_AT'),
    rescheduleSeconds: int(env, 'CLOSELOOP_RESCHEDULE_SECONDS', 10),
  };
}
