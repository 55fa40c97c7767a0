import { fileURLToPath } from 'node:url';
import type { Database, ModuleDefinition, ModuleDeps } from '../platform/index.ts';
import { mesShopFloorPort } from './mes-port.ts';
import type { PipelineOptions } from './pipeline.ts';
import type { ShopFloorPort } from './port.ts';
import { collectRoutes } from './routes.ts';
import { CollectRuntime } from './runtime.ts';

export type { ShopFloorPort } from './port.ts';
export type { CollectRuntime } from './runtime.ts';
export { KINDS, TOPIC_FILTER, topicOf, parseTopic, type Kind } from './model.ts';

/** Per-app state is keyed by the app's database, as everywhere (platform services, reconciliation, planning jobs). */
const runtimes = new WeakMap<Database, CollectRuntime>();

/** The collect runtime of one app (its stats, its embedded broker's port, its shop-floor port). */
export function collectRuntime(deps: ModuleDeps): CollectRuntime {
  const rt = runtimes.get(deps.db);
  if (!rt) throw new Error('the collect module is not part of this app');
  return rt;
}

/**
 * Shop-floor data in: MQTT (embedded broker or an outside one), the REST batch route and the
 * telemetry store. `port` is how counts and states reach the MES (default: the MES door).
 */
export function createCollectModule(opts: { port?: ShopFloorPort; pipeline?: Partial<PipelineOptions> } = {}): ModuleDefinition {
  const runtimeOf = (deps: ModuleDeps) => {
    let rt = runtimes.get(deps.db);
    if (!rt) runtimes.set(deps.db, (rt = new CollectRuntime(deps, opts.port ?? mesShopFloorPort(deps), opts.pipeline)));
    return rt;
  };
  return {
    name: 'collect',
    migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
    routes(router, deps) {
      const rt = runtimeOf(deps);
      collectRoutes(router, () => rt);
    },
    start: (deps) => runtimeOf(deps).start(),
    stop: async (deps) => {
      await runtimes.get(deps.db)?.stop();
    },
  };
}

export const collectModule: ModuleDefinition = createCollectModule();
