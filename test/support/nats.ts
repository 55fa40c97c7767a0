import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.ts';

const NATS_BIN = '/usr/sbin/nats-server';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something on 127.0.0.1 accepts a TCP connection on the port (within a second). */
export const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = tcp(port, '127.0.0.1');
    const done = (ok: boolean) => (s.destroy(), resolve(ok));
    s.setTimeout(1_000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });

export interface PrivateNats {
  url: string;
  /** SIGKILL: what JetStream had acknowledged but not yet written out may be lost, as in a crash. */
  kill(): Promise<void>;
  /** Started again on the same store and port. */
  start(): Promise<void>;
  /** Killed, and its store removed. */
  remove(): Promise<void>;
}

/**
 * A nats-server with JetStream of a test's own on a free port, killable without touching the shared
 * one on 4222; null where /usr/sbin/nats-server is not installed.
 */
export async function privateNats(): Promise<PrivateNats | null> {
  if (!existsSync(NATS_BIN)) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-nats-'));
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(await answers(port)); i++) await sleep(100);
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  };
  await start();
  return { url: `nats://127.0.0.1:${port}`, kill, start, remove: async () => (await kill(), rmSync(dir, { recursive: true, force: true })) };
}
