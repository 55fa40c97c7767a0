import { readFileSync } from 'node:fs';
import { connect } from 'nats';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp, type App, type AppOptions } from '../../src/app.ts';
import { Database, loadConfig, type Config } from '../../src/platform/index.ts';
import { openPglite } from '../../src/platform/db/index.ts';
import { withDatabase } from '../global-setup.ts';

export const ADMIN_PASSWORD = 'admin-pass-1';

export interface TestApp {
  app: App;
  /** Which database this run uses (tests name themselves after it). */
  dbKind: 'embedded' | 'postgres';
  adminToken: string;
  /** A request through Fastify's injector, JSON in and out. */
  call(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, any> }>;
  as(token: string): TestApp['call'];
  login(username: string, password: string): Promise<string>;
  /** Creates a user with the given roles and returns their token. */
  userWith(roles: string[], scope?: { plants?: string[]; workCenters?: string[] }): Promise<string>;
  /** Waits until every committed message is delivered. */
  settle(): Promise<void>;
  /** Closes the app and starts a new one on the same database and configuration (a server restart); `app`, `call` and `settle` then use it. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** A fresh database (from the run's migrated snapshot or template) and an app on it. */
export async function freshDatabase(): Promise<{ db: Database; url?: string; drop: () => Promise<void> }> {
  const template = inject('dbTemplate');
  const url = process.env.TEST_DATABASE_URL;
  if (template && url) {
    const name = `closeloop_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    const dbUrl = withDatabase(url, name);
    const { openDatabase } = await import('../../src/platform/db/index.ts');
    const db = await openDatabase({ url: dbUrl });
    return {
      db,
      url: dbUrl,
      drop: async () => {
        await db.close().catch(() => undefined);
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
        await a.end();
      },
    };
  }
  const snapshot = inject('dbSnapshot');
  const blob = snapshot ? new Blob([readFileSync(snapshot)]) : undefined;
  const db = new Database(await openPglite(undefined, { loadDataDir: blob }));
  return { db, drop: () => db.close() };
}

/**
 * `TEST_NATS_URL` runs every test app's bus over NATS JetStream (.ci/run does so in a third pass),
 * each app on a stream of its own that is deleted when the app closes.
 */
function natsBus(): { config: Partial<Config>; drop: () => Promise<void> } {
  const url = process.env.TEST_NATS_URL;
  if (!url) return { config: {}, drop: async () => undefined };
  const stream = `CLOSELOOP_T_${process.pid}_${counter++}_${Date.now().toString(36)}`.toUpperCase();
  return {
    config: { natsUrl: url, natsStream: stream },
    drop: async () => {
      const nc = await connect({ servers: url });
      await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
      await nc.close();
    },
  };
}

export async function startTestApp(opts: Omit<Partial<AppOptions>, 'config'> & { config?: Partial<Config> } = {}): Promise<TestApp> {
  const { db, drop } = await freshDatabase();
  const bus = natsBus();
  const config: Config = { ...loadConfig({}), adminPassword: ADMIN_PASSWORD, port: 0, mqttPort: 0, reconcileEveryMinutes: 0, replanOnEvents: false, ...bus.config, ...opts.config };
  const start = () => createApp({ relay: { backoffMs: 5 }, ...opts, config, db });
  let app = await start();
  const call: TestApp['call'] = async (method, url, body, headers = {}) => {
    const isString = typeof body === 'string' || Buffer.isBuffer(body);
    const res = await app.http.inject({
      method: method as any,
      url,
      headers: { ...(body !== undefined && !isString ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : isString ? (body as any) : JSON.stringify(body),
    });
    let parsed: any = res.body;
    if ((res.headers['content-type'] ?? '').toString().includes('json')) parsed = res.body ? JSON.parse(res.body) : null;
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
  const login = async (username: string, password: string) => {
    const r = await call('POST', '/api/v1/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  const as = (token: string): TestApp['call'] => (m, u, b, h = {}) => call(m, u, b, { authorization: `Bearer ${token}`, ...h });
  let users = 0;
  return {
    get app() {
      return app;
    },
    dbKind: db.kind,
    adminToken,
    call,
    as,
    login,
    async userWith(roles, scope) {
      const username = `u${++users}_${roles.join('_')}`;
      const r = await as(adminToken)('POST', '/api/v1/users', { username, password: 'password-123', roles, scope });
      if (r.status !== 201) throw new Error(`create user: ${r.status} ${JSON.stringify(r.body)}`);
      return login(username, 'password-123');
    },
    settle: async () => {
      await app.relay.drain();
    },
    async restart() {
      await app.close();
      app = await start();
    },
    async close() {
      await app.close();
      await drop();
      await bus.drop();
    },
  };
}
