import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { withDatabase } from './global-setup.ts';

/**
 * The server killed with SIGKILL in the middle of writes restarts on the same data with every
 * acknowledged write present — on the embedded database (its data folder) or the server.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess; base: string; exited: Promise<unknown> }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['bin/closeloop.js', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), MQTT_PORT: '0', LOG_LEVEL: 'warn', CLOSELOOP_ADMIN_PASSWORD: 'admin-pass-1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // listened for from the start: the process may be gone before anyone awaits its end
  const exited = new Promise((r) => proc.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 150_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { proc, base, exited };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('server did not start');
}

async function token(base: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin-pass-1' }),
  });
  return ((await r.json()) as { token: string }).token;
}

describe(`crash and restart (${serverUrl ? 'postgres' : 'embedded'})`, () => {
  it('keeps every acknowledged write after SIGKILL mid-write', async () => {
    const env: Record<string, string> = {};
    if (serverUrl) {
      const name = `closeloop_crash_${process.pid}_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      env.DATABASE_URL = withDatabase(serverUrl, name);
      cleanups.push(async () => {
        const a = new pg.Client({ connectionString: serverUrl });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      });
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'closeloop-crash-'));
      env.CLOSELOOP_DATA_DIR = dir;
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    }
    const first = await startServer(env);
    const auth = { authorization: `Bearer ${await token(first.base)}`, 'content-type': 'application/json' };
    const acknowledged: string[] = [];
    let stop = false;
    let writing = true;
    const writer = (async () => {
      for (let i = 0; !stop && i < 400; i++) {
        const key = `crash-key-${i}`;
        try {
          const r = await fetch(`${first.base}/api/v1/api-keys`, { method: 'POST', headers: auth, body: JSON.stringify({ name: key, roles: ['integration'] }) });
          if (r.status === 201) acknowledged.push(key);
        } catch {
          return; // the server died under us: that write was not acknowledged
        }
      }
    })().finally(() => (writing = false));
    while (acknowledged.length < 25 && writing) await new Promise((r) => setTimeout(r, 10));
    expect(acknowledged.length, 'writes acknowledged before the kill').toBeGreaterThanOrEqual(25);
    first.proc.kill('SIGKILL');
    stop = true;
    await writer;
    await first.exited;

    const second = await startServer(env);
    try {
      const t2 = await token(second.base);
      const r = await fetch(`${second.base}/api/v1/audit?entity=api_key&limit=5000`, { headers: { authorization: `Bearer ${t2}` } });
      const rows = (await r.json()) as { after: { name: string } }[];
      const present = new Set(rows.map((x) => x.after.name));
      const lost = acknowledged.filter((k) => !present.has(k));
      expect(lost).toEqual([]);
      expect(acknowledged.length).toBeGreaterThanOrEqual(25);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
    }
  }, 400_000);
});
