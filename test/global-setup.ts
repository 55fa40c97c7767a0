import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createApp } from '../src/app.ts';
import { loadConfig, openDatabase, Database } from '../src/platform/index.ts';
import { openPglite } from '../src/platform/db/index.ts';

/**
 * Migrates one database for the whole run, so that each test file starts from it in a fraction of
 * a second: a PGlite data-folder snapshot (embedded) or a template database (PostgreSQL server,
 * when TEST_DATABASE_URL is set).
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  const config = { ...loadConfig({}), adminPassword: 'admin-pass-1', port: 0, mqttPort: 0, reconcileEveryMinutes: 0 };
  if (url) {
    const template = `closeloop_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
    const app = await createApp({ config: { ...config, databaseUrl: withDatabase(url, template) }, startRelay: false });
    await app.close();
    project.provide('dbTemplate', template);
    return async () => {
      await admin.query(`drop database if exists ${template} with (force)`).catch(() => undefined);
      await admin.end();
    };
  }
  const engine = await openPglite(undefined);
  const db = new Database(engine);
  const app = await createApp({ config, db, startRelay: false });
  await app.close();
  const blob: Blob = await (engine as any).pglite.dumpDataDir('none');
  const dir = join(process.cwd(), '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `snapshot-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  await db.close();
  project.provide('dbSnapshot', file);
  void openDatabase;
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate?: string;
    dbSnapshot?: string;
  }
}
