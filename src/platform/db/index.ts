export * from './types.ts';
export * from './unit-of-work.ts';
export * from './migrate.ts';
export { openPglite } from './pglite-engine.ts';
import { openPglite } from './pglite-engine.ts';
import { openPostgres } from './postgres-engine.ts';
import { Database } from './unit-of-work.ts';

export async function openDatabase(opts: { url?: string; dataDir?: string; loadDataDir?: Blob; poolSize?: number }): Promise<Database> {
  const engine = opts.url ? await openPostgres(opts.url, { max: opts.poolSize }) : await openPglite(opts.dataDir, { loadDataDir: opts.loadDataDir });
  return new Database(engine);
}
