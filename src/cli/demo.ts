import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import pino from 'pino';
import { createApp } from '../app.ts';
import { createApiKey, loadConfig } from '../platform/index.ts';
import { seedFactory, type Call } from './demo-factory.ts';
import { DemoSupervisor } from './demo-supervisor.ts';
import { jobsFromApi } from './simulate-api.ts';
import { ShopFloorSimulator } from './simulate.ts';

async function portFree(port: number, host: string) {
  return new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/**
 * `closeloop demo`: a bicycle-wheel factory, built through the public HTTP API of the running app
 * (items, 3-level BOMs, six work centres on two shifts, routings, customers, suppliers, opening
 * stock in lots, a dozen approved sales orders), and a shop floor that keeps it moving: machines
 * over MQTT (the simulator) and a shift supervisor over HTTP who starts operations, issues lots,
 * completes work orders, inspects (a few fail and are held, then released or rejected), ships
 * finished orders and takes a new order now and then.
 */
export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { speed: { type: 'string', default: '60' }, quiet: { type: 'boolean' } } });
  const config = loadConfig();
  const log = pino({ level: values.quiet ? 'warn' : config.logLevel === 'info' ? 'warn' : config.logLevel });
  if (!config.mqttUrl) {
    if (config.mqttPort === 0) config.mqttPort = 1883;
    if (!(await portFree(config.mqttPort, config.host))) {
      const busy = config.mqttPort;
      config.mqttPort = 0;
      for (let p = 11883; p < 11983 && !config.mqttPort; p++) if (await portFree(p, config.host)) config.mqttPort = p;
      console.log(`  MQTT port ${busy} is taken: the embedded broker uses ${config.mqttPort}`);
    }
  }
  const app = await createApp({ config, logger: log });
  const address = await app.listen();
  const key = await createApiKey(app.db, `demo-${Date.now().toString(36)}`, ['admin']);
  const call: Call = async (method, path, body) => {
    const r = await fetch(`${address}${path}`, {
      method,
      headers: { 'x-api-key': key.key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${json?.error?.message ?? text}`);
    return json;
  };
  const say = (s: string) => console.log(s);
  const items = await call<unknown[]>('GET', '/api/v1/erp/items');
  if (items.length === 0) {
    say('Building the demo factory (bicycle wheels) through the HTTP API…');
    await seedFactory(call, say);
    await app.relay.drain(30_000).catch(() => undefined);
  } else say('The database already holds data: the demo keeps it and sets the shop floor moving.');

  const speed = Number(values.speed) || 60;
  const mqttUrl = config.mqttUrl ?? `mqtt://127.0.0.1:${config.mqttPort}`;
  const device = await createApiKey(app.db, `demo-machines-${Date.now().toString(36)}`, ['integration']);
  const client = await mqtt.connectAsync(mqttUrl, { username: 'demo-machines', password: device.key, reconnectPeriod: 1_000 });
  const sim = new ShopFloorSimulator({
    speed,
    jobs: jobsFromApi(address, { 'x-api-key': key.key }),
    publish: (topic, payload) => void client.publish(topic, JSON.stringify(payload), { qos: 1 }),
    log: (s) => log.warn(s),
  });
  const supervisor = new DemoSupervisor(call, (s) => log.warn(s));
  sim.start();
  supervisor.start();
  void supervisor.tick();

  say(`\n  Closeloop demo is running at ${address}  (shop floor ${speed}× faster, MQTT ${mqttUrl})`);
  if (app.generatedAdminPassword) say(`  Sign in as admin with password ${app.generatedAdminPassword}`);
  else if (config.adminPassword) say('  Sign in as admin with the password of CLOSELOOP_ADMIN_PASSWORD');
  else say('  Sign in as admin (the password was printed on the first start; set CLOSELOOP_ADMIN_PASSWORD to choose one)');
  say('  Ctrl-C stops.\n');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  supervisor.stop();
  sim.stop();
  await client.endAsync();
  await app.close();
  return 0;
}
