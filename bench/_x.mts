import { benchDatabase } from './support.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/index.ts';
import { collectRuntime } from '../src/collect/index.ts';
import { readPayload } from '../src/collect/model.ts';
const kind = process.argv[2] ?? 'postgres';
const { db, drop } = await benchDatabase(kind);
const app = await createApp({ config: { ...loadConfig({}), port: 0, mqttPort: 0, adminPassword: 'x-pass-123' }, db });
const rt = collectRuntime(app.deps);
rt.usePort({ resolveWorkCenter: async (_q, code) => ({ code, plant: 'p' }), reportCount: async () => {}, recordState: async () => {} });
const N = 50000;
const t0 = Date.now();
for (let i = 0; i < N; i++) {
  const r = readPayload({ source: 'mqtt', plant: 'p', workCenter: 'W', kind: 'telemetry', receivedAt: Date.now() }, Buffer.from(`{"at":"${new Date(t0 + i).toISOString()}","spindleLoad":${i % 50},"temperatureC":51.2,"powerKw":4.25}`));
  rt.pipeline.offer(r);
}
const t1 = Date.now();
await rt.pipeline.drain();
const t2 = Date.now();
console.log(kind, 'parse+offer', t1 - t0, 'ms; drain', t2 - t1, 'ms; total', Math.round(N * 1000 / (t2 - t0)), 'msg/s; batches', rt.pipeline.batches);
await app.close(); await drop();
