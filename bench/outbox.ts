/**
 * Messages/s through outbox → relay → handler (each handler writes a row in its own module's
 * table with its inbox row). `npx tsx bench/outbox.ts --db embedded|postgres --messages 20000`
 */
import { join } from 'node:path';
import { migrate, Relay, Subscriptions, systemActor } from '../src/platform/index.ts';
import { arg, benchDatabase } from './support.ts';

export async function main() {
  const kind = arg('db', 'embedded');
  const total = Number(arg('messages', '20000'));
  const perUnit = Number(arg('per-unit', '10'));
  const { db, drop } = await benchDatabase(kind);
  try {
    await migrate(db, [{ module: 'platform', dir: join(import.meta.dirname, '../src/platform/migrations') }]);
    await db.query('create table if not exists public.bench_effects (id uuid primary key, n int)');
    const subs = new Subscriptions();
    let handled = 0;
    subs.subscribe('bench', 'bench.effects', ['bench.ping'], async (msg, uow) => {
      await uow.query('insert into public.bench_effects (id, n) values ($1, $2)', [msg.id, (msg.payload as { n: number }).n]);
      handled++;
    });
    const relay = new Relay(db, subs, { batchSize: 1000 });
    const t0 = performance.now();
    relay.start();
    const writers = 4;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = w * perUnit; i < total; i += writers * perUnit) {
          await db.unitOfWork({ actor: systemActor, module: 'bench' }, async (uow) => {
            for (let k = 0; k < perUnit && i + k < total; k++) uow.emitRaw('bench.ping', { n: i + k }, { correlationId: `c${(i + k) % 100}` });
          });
        }
      }),
    );
    const tWritten = performance.now();
    while (handled < total) await new Promise((r) => setTimeout(r, 2));
    const t1 = performance.now();
    await relay.stop();
    const secs = (t1 - t0) / 1000;

    // The relay alone: the same number of messages already committed, then delivered.
    for (let i = 0; i < total; i += 100)
      await db.unitOfWork({ actor: systemActor, module: 'bench' }, async (uow) => {
        for (let k = 0; k < 100 && i + k < total; k++) uow.emitRaw('bench.ping', { n: i + k }, { correlationId: `c${(i + k) % 100}` });
      });
    handled = 0;
    const r0 = performance.now();
    relay.start();
    while (handled < total) await new Promise((r) => setTimeout(r, 2));
    const relaySecs = (performance.now() - r0) / 1000;
    await relay.stop();
    console.log(
      JSON.stringify({
        bench: 'outbox',
        db: kind,
        messages: total,
        messagesPerUnitOfWork: perUnit,
        writeSeconds: +((tWritten - t0) / 1000).toFixed(2),
        totalSeconds: +secs.toFixed(2),
        messagesPerSecond: Math.round(total / secs),
        relayOnlySeconds: +relaySecs.toFixed(2),
        relayOnlyMessagesPerSecond: Math.round(total / relaySecs),
      }),
    );
  } finally {
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
