import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import {
  actorForApiKey,
  bootstrapAdmin,
  createHttpServer,
  EventHub,
  migrate,
  openDatabase,
  platformRoutes,
  raiseAlert,
  Relay,
  JetStreamTransport,
  type BusTransport,
  type RelayOptions,
  signingSecret,
  Subscriptions,
  systemClock,
  TokenService,
  type Actor,
  type Clock,
  type Config,
  type Database,
  type ModuleDefinition,
  type ModuleDeps,
  type RegisteredRoute,
} from './platform/index.ts';
import { modules } from './modules.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface AppOptions {
  config: Config;
  logger?: Logger | false;
  clock?: Clock;
  /** An already open database (tests share a migrated snapshot). */
  db?: Database;
  /** Start the relay (default true); tests of faults start it themselves. */
  startRelay?: boolean;
  extraModules?: ModuleDefinition[];
  /**
   * Only these modules' handlers are subscribed (their routes all stay): an ERP tested alone, with
   * the MES's answers played by the test. Default: every module's.
   */
  handlersOf?: string[];
  /** Retry timing of the relay (tests shorten it). */
  relay?: { backoffMs?: number; maxAttempts?: number; pollMs?: number; republishAfterMs?: number };
}

export interface App {
  http: Awaited<ReturnType<typeof createHttpServer>>['app'];
  db: Database;
  /** The bus transport: the in-process relay, or NATS JetStream with `NATS_URL`. */
  relay: BusTransport;
  subs: Subscriptions;
  hub: EventHub;
  tokens: TokenService;
  config: Config;
  deps: ModuleDeps;
  /** Every route declared through the router, with its permission. */
  routes: RegisteredRoute[];
  /** Every route Fastify knows (to check none bypasses the router). */
  allRoutes: { method: string; url: string }[];
  /** Printed once on the first start when no admin password was configured. */
  generatedAdminPassword: string | null;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** The composition root: database, migrations, bus, HTTP, and every module's routes and handlers. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config } = opts;
  const log: Logger = opts.logger || pino({ level: 'silent' });
  const db = opts.db ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  const all = [...modules, ...(opts.extraModules ?? [])];
  await migrate(db, [
    { module: 'platform', dir: fileURLToPath(new URL('./platform/migrations', import.meta.url)) },
    ...all.filter((m) => m.migrationsDir).map((m) => ({ module: m.name, dir: m.migrationsDir! })),
  ]);
  const generatedAdminPassword = await bootstrapAdmin(db, config.adminPassword);
  const tokens = new TokenService(await signingSecret(db, config.jwtSecret), config.tokenTtlSeconds);

  const deps: ModuleDeps = { db, config, clock: opts.clock ?? systemClock, log };
  const hub = new EventHub();
  const subs = new Subscriptions();
  const { republishAfterMs, ...relayOptions } = opts.relay ?? {};
  const busOptions: RelayOptions = {
    ...relayOptions,
    log,
    onDelivered: (msgs) => hub.publish(msgs),
    // in the dead letter's unit of work: a dead letter never goes without its alert
    onDeadLetter: async (uow, msg, consumer, reason) => {
      await raiseAlert(uow, {
        kind: 'integration_failure',
        severity: 'critical',
        ref: `${consumer}/${msg.id}`,
        message: `${msg.type} could not be handled by ${consumer}: ${reason}`,
        messageKey: 'alert.integration_failure',
        params: { type: msg.type, consumer, reason },
      });
    },
  };
  const relay: BusTransport = config.natsUrl ? new JetStreamTransport(db, subs, { ...busOptions, ...(republishAfterMs !== undefined && { republishAfterMs }), url: config.natsUrl, stream: config.natsStream, ackWaitMs: config.natsAckWaitMs }) : new Relay(db, subs, busOptions);

  const resolveActor = async (req: { headers: Record<string, string | string[] | undefined> }): Promise<Actor | null> => {
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
      try {
        const c = await tokens.verify(auth.slice(7).trim());
        return { kind: 'user', id: c.username, roles: c.roles, scope: c.scope };
      } catch {
        return null;
      }
    }
    const key = req.headers['x-api-key'];
    if (typeof key === 'string' && key) return actorForApiKey(db, key);
    return null;
  };
  const { app: http, router, metrics, allRoutes } = await createHttpServer(db, resolveActor, {
    bodyLimit: config.bodyLimitBytes,
    logger: opts.logger ?? false,
    version: '0.1.0',
  });
  platformRoutes(http, router, { db, tokens, metrics, hub, bus: () => relay.kind });
  deps.metrics = metrics;
  for (const m of all) {
    m.routes?.(router, deps);
    if (!opts.handlersOf || opts.handlersOf.includes(m.name)) m.subscribe?.(subs, deps);
  }

  const webDist = join(root, 'web/dist');
  // The web app runs under a Content Security Policy: its own scripts only, no inline script.
  const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
  if (existsSync(webDist)) {
    await http.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: false, setHeaders: (res, path) => path.endsWith('.html') && res.header('content-security-policy', csp) });
    http.get('/', { schema: { hide: true } }, (_req, reply) => reply.header('content-security-policy', csp).sendFile('index.html'));
  } else {
    http.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html').header('content-security-policy', csp).send('<!doctype html><title>Closeloop</title><p>The web app is not built: run <code>npm run build:web</code>.</p>'),
    );
  }
  await http.ready();
  const started: ModuleDefinition[] = [];
  try {
    if (opts.startRelay !== false) await relay.start();
    for (const m of all) {
      if (!m.start) continue;
      started.push(m);
      await m.start(deps);
    }
  } catch (e) {
    for (const m of started.reverse()) await m.stop?.(deps).catch(() => undefined);
    await http.close();
    await relay.stop();
    if (!opts.db) await db.close();
    throw e;
  }

  let closed = false;
  return {
    http,
    db,
    relay,
    subs,
    hub,
    tokens,
    config,
    deps,
    routes: router.routes,
    allRoutes,
    generatedAdminPassword,
    async listen() {
      return http.listen({ port: config.port, host: config.host });
    },
    async close() {
      if (closed) return;
      closed = true;
      await http.close();
      for (const m of [...started].reverse()) await m.stop?.(deps).catch((e) => log.error({ err: e, module: m.name }, 'module stop failed'));
      await relay.drain(5_000).catch(() => undefined);
      await relay.stop();
      if (!opts.db) await db.close();
    },
  };
}
