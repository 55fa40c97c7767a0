import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './unit-of-work.ts';

/** A module's migrations: numbered SQL files `NNN_name.sql` in its own folder, for its own schema. */
export interface ModuleMigrations {
  module: string;
  dir: string;
}

const LOCK_KEY = 727_1883; // any constant: serialises migrations of several app instances

/**
 * Applies what is not applied yet, in order, each file in the same transaction as its record.
 * Running it again is harmless: applied files are skipped.
 */
export async function migrate(db: Database, modules: ModuleMigrations[]): Promise<string[]> {
  const applied: string[] = [];
  await db.engine.transaction(async (conn) => {
    await conn.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await conn.exec(`create schema if not exists platform;
      create table if not exists platform.schema_migrations (
        module text not null, version int not null, name text not null,
        applied_at timestamptz not null default now(), primary key (module, version))`);
    const done = new Set(
      (await conn.query<{ module: string; version: number }>('select module, version from platform.schema_migrations')).map(
        (r) => `${r.module}/${r.version}`,
      ),
    );
    for (const m of modules) {
      if (!existsSync(m.dir)) continue;
      const files = readdirSync(m.dir).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
      for (const file of files) {
        const version = Number(file.split('_')[0]);
        if (done.has(`${m.module}/${version}`)) continue;
        await conn.exec(readFileSync(join(m.dir, file), 'utf8'));
        await conn.query('insert into platform.schema_migrations (module, version, name) values ($1, $2, $3)', [
          m.module,
          version,
          file,
        ]);
        applied.push(`${m.module}/${file}`);
      }
    }
  });
  return applied;
}
