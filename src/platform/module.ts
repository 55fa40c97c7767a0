import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Subscriptions } from './bus/index.ts';
import type { Config } from './config.ts';
import type { Database } from './db/index.ts';
import type { Router } from './http/index.ts';
import type { Clock } from './kernel/index.ts';

/** What the composition root hands every module. */
export interface ModuleDeps {
  db: Database;
  config: Config;
  clock: Clock;
  log: Logger;
  /** The `/metrics` registry (set once the HTTP server exists, before `start`). */
  metrics?: Registry;
}

/** A module as app.ts sees it: its tables, its routes, its message handlers. */
export interface ModuleDefinition {
  name: string;
  /** Folder of numbered SQL migrations for its own schema. */
  migrationsDir?: string;
  routes?(router: Router, deps: ModuleDeps): void;
  subscribe?(subs: Subscriptions, deps: ModuleDeps): void;
  /** Starts what the module runs beside its routes (a broker, a client); called once the app is ready. */
  start?(deps: ModuleDeps): Promise<void>;
  /** Stops it again (and finishes what it holds) before the relay drains and the database closes. */
  stop?(deps: ModuleDeps): Promise<void>;
}
