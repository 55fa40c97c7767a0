import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { withDatabase } from '../global-setup.ts';

/**
 * Closeloop servers as child processes (`closeloop serve`), for tests that kill them: a free
 * port, a database of their own, sign-in, and a shop with one running operation to report on.
 */
export const ADMIN = { username: 'admin', password: 'admin-pass-1' };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface ServerProcess {
  proc: ChildProcess;
  base: string;
  exited: Promise<unknown>;
  /** What the server wrote on stderr (the last 20 lines), for a failure's message. */
  log(): string;
}

/** Starts `closeloop serve` with `env` and waits for /health (at most `waitMs`). */
export async function startServer(env: Record<string, string>, waitMs = 150_000): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const proc = spawn(process.execPath, ['bin/closeloop.js', 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'warn', MQTT_PORT: '0', CLOSELOOP_RECONCILE_MINUTES: '0', ...env, PORT: String(port), CLOSELOOP_ADMIN_PASSWORD: ADMIN.password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  proc.stderr!.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n')) if (l) lines.push(l.slice(0, 400));
    lines.splice(0, Math.max(0, lines.length - 20));
  });
  const exited = new Promise((r) => proc.once('exit', r));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + waitMs;
  while (Date.now() < until && proc.exitCode === null) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { proc, base, exited, log: () => lines.join('\n') };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start:\n${lines.join('\n')}`);
}

/** A fresh PostgreSQL database for servers (dropped by the returned function). */
export async function serverDatabase(serverUrl: string, tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `closeloop_${tag}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

type Json = any;
export type Call = (method: string, url: string, body?: unknown) => Promise<{ status: number; body: Json }>;

export async function signIn(base: string): Promise<Call> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const { token } = (await r.json()) as { token: string };
  return async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

async function ok(p: Promise<{ status: number; body: Json }>) {
  const r = await p;
  if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * A work centre `wc` with a running operation for a sales order of `qty` wheels, and a device key
 * that may ingest. Returns the sales order, the operation and the key.
 */
export async function shopWithRunningOperation(call: Call, wc: string, qty: number) {
  await ok(call('POST', '/api/v1/erp/items', { code: 'RIM', name: 'Rim', kind: 'raw', uom: 'pcs', standardCost: 12 }));
  await ok(call('POST', '/api/v1/erp/items', { code: 'WHEEL', name: 'Wheel', kind: 'finished', uom: 'pcs', standardCost: 60 }));
  await ok(call('PUT', '/api/v1/erp/boms/WHEEL', { components: [{ itemCode: 'RIM', qty: 1 }] }));
  await ok(call('POST', '/api/v1/mes/work-centers', { code: wc, name: 'Lacing cell', costPerHour: 40 }));
  await ok(call('PUT', '/api/v1/mes/routings/WHEEL', { operations: [{ seq: 10, name: 'Lace', workCenter: wc, setupMinutes: 0, minutesPerUnit: 1 }] }));
  await ok(call('POST', '/api/v1/erp/inventory/receipts', { itemCode: 'RIM', qty: qty * 2, lot: 'RIM-L1', unitCost: 12 }));
  await ok(call('POST', '/api/v1/erp/customers', { code: 'VELO', name: 'Velo' }));
  const so = await ok(call('POST', '/api/v1/erp/sales-orders', { customer: 'VELO', lines: [{ itemCode: 'WHEEL', qty, dueDate: '2027-06-01' }] }));
  await ok(call('POST', `/api/v1/erp/sales-orders/${so.id}/approve`));
  let operation: string | undefined;
  for (let i = 0; i < 300 && !operation; i++) {
    const wos = await ok(call('GET', `/api/v1/mes/work-orders?salesOrder=${so.id}`));
    operation = wos[0]?.operations[0]?.id;
    if (!operation) await new Promise((r) => setTimeout(r, 100));
  }
  if (!operation) throw new Error('no work order for the sales order');
  await ok(call('POST', `/api/v1/mes/operations/${operation}/start`, {}));
  const key = await ok(call('POST', '/api/v1/api-keys', { name: `${wc} device`, roles: ['integration'] }));
  return { salesOrder: so.id as string, operation, key: key.key as string };
}

/** The good quantity reported on the operation of the sales order (what the MES has). */
export async function reportedGood(call: Call, salesOrder: string): Promise<number> {
  const wos = await ok(call('GET', `/api/v1/mes/work-orders?salesOrder=${salesOrder}`));
  return Number(wos[0].operations[0].goodQty);
}
