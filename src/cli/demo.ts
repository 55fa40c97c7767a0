import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import pino from 'pino';
import { createApp } from '../app.ts';
import { createApiKey, loadConfig } from '../platform/index.ts';
import { jobsFromApi, ShopFloorSimulator } from './simulate.ts';

/**
 * `closeloop demo`: a bicycle-wheel factory, built through the public HTTP API of the running app
 * (items, 3-level BOMs, six work centres on two shifts, routings, customers, suppliers, opening
 * stock in lots, a dozen approved sales orders), and a shop floor that keeps it moving: machines
 * over MQTT (the simulator) and a shift supervisor over HTTP who starts operations, issues lots,
 * completes work orders, inspects (a few fail and are held, then released or rejected), ships
 * finished orders and takes a new order now and then.
 */

type Call = (method: string, path: string, body?: unknown) => Promise<any>;

const raw: [string, string, number, number][] = [
  // code, name, standard cost, opening stock
  ['RIM-622-AL', 'Rim 622 aluminium, 28 holes', 18.5, 600],
  ['RIM-584-AL', 'Rim 584 aluminium, 28 holes', 17.2, 400],
  ['SPOKE-262', 'Spoke stainless 262 mm', 0.35, 30_000],
  ['SPOKE-264', 'Spoke stainless 264 mm', 0.35, 30_000],
  ['SPOKE-248', 'Spoke stainless 248 mm', 0.34, 20_000],
  ['NIPPLE-14', 'Nipple brass 14 mm', 0.08, 60_000],
  ['HUB-SHELL-F', 'Front hub shell', 9.4, 500],
  ['HUB-SHELL-R', 'Rear hub shell', 13.1, 500],
  ['AXLE-F-100', 'Front axle 100 mm', 3.2, 500],
  ['AXLE-R-142', 'Rear axle 142 mm', 4.1, 500],
  ['BEARING-6001', 'Sealed bearing 6001', 1.2, 4_000],
  ['FREEHUB-HG', 'Freehub body HG', 11.0, 500],
  ['TYRE-700x28', 'Tyre 700x28c', 14.0, 600],
  ['TYRE-650Bx47', 'Tyre 650Bx47', 16.5, 400],
  ['TUBE-700', 'Inner tube 700c', 3.5, 600],
  ['TUBE-650B', 'Inner tube 650B', 3.6, 400],
  ['RIM-TAPE', 'Rim tape', 0.9, 2_000],
  ['SKEWER-QR', 'Quick-release skewer', 4.5, 1_200],
];
const semi: [string, string, [string, number][]][] = [
  ['HUB-ASSY-F', 'Front hub assembly', [['HUB-SHELL-F', 1], ['AXLE-F-100', 1], ['BEARING-6001', 2]]],
  ['HUB-ASSY-R', 'Rear hub assembly', [['HUB-SHELL-R', 1], ['AXLE-R-142', 1], ['BEARING-6001', 2], ['FREEHUB-HG', 1]]],
  ['LACED-F-700', 'Laced front wheel 700c', [['RIM-622-AL', 1], ['SPOKE-262', 28], ['NIPPLE-14', 28], ['HUB-ASSY-F', 1]]],
  ['LACED-R-700', 'Laced rear wheel 700c', [['RIM-622-AL', 1], ['SPOKE-264', 28], ['NIPPLE-14', 28], ['HUB-ASSY-R', 1]]],
  ['LACED-F-650B', 'Laced front wheel 650B', [['RIM-584-AL', 1], ['SPOKE-248', 28], ['NIPPLE-14', 28], ['HUB-ASSY-F', 1]]],
  ['LACED-R-650B', 'Laced rear wheel 650B', [['RIM-584-AL', 1], ['SPOKE-248', 28], ['NIPPLE-14', 28], ['HUB-ASSY-R', 1]]],
];
const finished: [string, string, [string, number][], number][] = [
  ['WHEEL-F-700', 'Front wheel 700c, ready to ride', [['LACED-F-700', 1], ['TYRE-700x28', 1], ['TUBE-700', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 24],
  ['WHEEL-R-700', 'Rear wheel 700c, ready to ride', [['LACED-R-700', 1], ['TYRE-700x28', 1], ['TUBE-700', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 24],
  ['WHEEL-F-650B', 'Front wheel 650B, ready to ride', [['LACED-F-650B', 1], ['TYRE-650Bx47', 1], ['TUBE-650B', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 16],
  ['WHEEL-R-650B', 'Rear wheel 650B, ready to ride', [['LACED-R-650B', 1], ['TYRE-650Bx47', 1], ['TUBE-650B', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 16],
  ['WHEELSET-700', 'Wheel set 700c (front + rear)', [['WHEEL-F-700', 1], ['WHEEL-R-700', 1]], 0],
  ['WHEELSET-650B', 'Wheel set 650B (front + rear)', [['WHEEL-F-650B', 1], ['WHEEL-R-650B', 1]], 0],
];
const twoShifts = { shifts: [1, 2, 3, 4, 5].flatMap((day) => [{ day, from: '06:00', to: '14:00' }, { day, from: '14:00', to: '22:00' }]) };
const workCenters = [
  { code: 'HUB-PRESS', name: 'Hub bearing press', costPerHour: 38 },
  { code: 'LACE-1', name: 'Lacing machine', costPerHour: 55 },
  { code: 'TRUE-1', name: 'Tension and truing robot', costPerHour: 62 },
  { code: 'TYRE-1', name: 'Tyre mounting', costPerHour: 32 },
  { code: 'QC-1', name: 'Final inspection station', costPerHour: 28, laborCostPerHour: 34 },
  { code: 'PACK-1', name: 'Wheel-set packing', costPerHour: 22 },
];
const routings: Record<string, [string, string, number, number][]> = {
  'HUB-ASSY-F': [['Press bearings', 'HUB-PRESS', 10, 1.5]],
  'HUB-ASSY-R': [['Press bearings and freehub', 'HUB-PRESS', 10, 2]],
  'LACED-F-700': [['Lace', 'LACE-1', 15, 3], ['Tension and true', 'TRUE-1', 5, 4]],
  'LACED-R-700': [['Lace', 'LACE-1', 15, 3.5], ['Tension and true', 'TRUE-1', 5, 4.5]],
  'LACED-F-650B': [['Lace', 'LACE-1', 15, 3], ['Tension and true', 'TRUE-1', 5, 4]],
  'LACED-R-650B': [['Lace', 'LACE-1', 15, 3.5], ['Tension and true', 'TRUE-1', 5, 4.5]],
  'WHEEL-F-700': [['Tape, tyre and tube', 'TYRE-1', 5, 2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEEL-R-700': [['Tape, tyre and tube', 'TYRE-1', 5, 2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEEL-F-650B': [['Tape, tyre and tube', 'TYRE-1', 5, 2.2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEEL-R-650B': [['Tape, tyre and tube', 'TYRE-1', 5, 2.2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEELSET-700': [['Pair and pack', 'PACK-1', 5, 1.5]],
  'WHEELSET-650B': [['Pair and pack', 'PACK-1', 5, 1.5]],
};
const customers = [
  ['VELO-BERLIN', 'Velo Berlin GmbH'],
  ['CHENGDU-CYCLES', '成都骑行车业有限公司'],
  ['ALPINE-BIKES', 'Alpine Bikes AG'],
  ['URBAN-RIDE', 'Urban Ride Ltd'],
];
const suppliers = [
  ['RIMCO', 'Rimco Extrusions'],
  ['SPOKEWORKS', 'Spokeworks (Taichung)'],
  ['HUBTECH', 'Hubtech Precision'],
  ['GRIPTYRE', 'Griptyre Rubber'],
];
const supplierOf = (code: string) =>
  code.startsWith('RIM') ? 'RIMCO' : code.startsWith('SPOKE') || code.startsWith('NIPPLE') ? 'SPOKEWORKS' : code.startsWith('TYRE') || code.startsWith('TUBE') ? 'GRIPTYRE' : 'HUBTECH';
const sellable = ['WHEEL-F-700', 'WHEEL-R-700', 'WHEEL-F-650B', 'WHEEL-R-650B', 'WHEELSET-700', 'WHEELSET-650B'];

const day = (d: Date) => d.toISOString().slice(0, 10);
const today = () => new Date();
const inDays = (n: number) => day(new Date(today().getTime() + n * 86_400_000));

/** The factory's master data, stock and orders, through the HTTP API only. */
export async function seedFactory(call: Call, log: (s: string) => void) {
  for (const [code, name, standardCost] of raw) await call('POST', '/api/v1/erp/items', { code, name, kind: 'raw', uom: 'pcs', standardCost, leadTimeDays: 7, reorderPoint: 0 });
  for (const [code, name] of semi) await call('POST', '/api/v1/erp/items', { code, name, kind: 'semi', uom: 'pcs', standardCost: 0, leadTimeDays: 1 });
  for (const [code, name] of finished) await call('POST', '/api/v1/erp/items', { code, name, kind: 'finished', uom: 'pcs', standardCost: 0, leadTimeDays: 2 });
  for (const [code, , components] of [...semi, ...finished]) await call('PUT', `/api/v1/erp/boms/${code}`, { components: components.map(([itemCode, qty]) => ({ itemCode, qty })) });
  await call('POST', '/api/v1/erp/boms/roll-up', {}).catch(() => undefined);
  for (const wc of workCenters) await call('POST', '/api/v1/mes/work-centers', { ...wc, plant: 'main', calendar: twoShifts });
  for (const [item, ops] of Object.entries(routings))
    await call('PUT', `/api/v1/mes/routings/${item}`, {
      operations: ops.map(([name, workCenter, setupMinutes, minutesPerUnit], i) => ({ seq: (i + 1) * 10, name, workCenter, setupMinutes, minutesPerUnit })),
    });
  for (const [code, name] of customers) await call('POST', '/api/v1/erp/customers', { code, name });
  for (const [code, name] of suppliers) await call('POST', '/api/v1/erp/suppliers', { code, name });
  const lotDay = day(today()).replaceAll('-', '');
  for (const [code, , unitCost, qty] of raw) {
    // two lots each, as they came in on two deliveries
    const first = Math.round(qty * 0.4);
    await call('POST', '/api/v1/erp/inventory/receipts', { itemCode: code, qty: first, lot: `${code}-${lotDay}-A`, supplier: supplierOf(code), unitCost });
    await call('POST', '/api/v1/erp/inventory/receipts', { itemCode: code, qty: qty - first, lot: `${code}-${lotDay}-B`, supplier: supplierOf(code), unitCost });
  }
  for (const [code, , , qty] of finished) if (qty) await call('POST', '/api/v1/erp/inventory/receipts', { itemCode: code, qty, lot: `${code}-OPEN`, unitCost: 60 });
  log(`  ${raw.length + semi.length + finished.length} items, ${workCenters.length} work centres, ${customers.length} customers, ${suppliers.length} suppliers, opening stock`);
  const orders: string[] = [];
  for (let i = 0; i < 12; i++) orders.push(await newOrder(call, i));
  log(`  ${orders.length} sales orders approved`);
  return orders;
}

async function newOrder(call: Call, i: number) {
  const [customer] = customers[i % customers.length];
  const lines = [{ itemCode: sellable[i % sellable.length], qty: 6 + ((i * 7) % 5) * 3, dueDate: inDays(3 + (i % 9)) }];
  if (i % 3 === 0) lines.push({ itemCode: sellable[(i + 1) % sellable.length], qty: 8, dueDate: inDays(5 + (i % 7)) });
  const so = await call('POST', '/api/v1/erp/sales-orders', { customer, lines });
  await call('POST', `/api/v1/erp/sales-orders/${so.id}/approve`, {});
  return so.id as string;
}

/**
 * The shift supervisor and quality inspector of the demo: every few seconds, starts the next
 * operation on each free work centre (issuing lots first), completes operations the machines have
 * finished, inspects finished lots (about one in eight fails and is held for a while), ships what
 * is done and takes a new order now and then.
 */
export class DemoSupervisor {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private ticks = 0;
  private orders = 12;
  private readonly inspected = new Set<string>();
  private readonly held = new Map<string, number>();
  private readonly issued = new Set<string>();
  constructor(
    private readonly call: Call,
    private readonly log: (s: string) => void,
    private readonly random: () => number = Math.random,
  ) {}

  start(everyMs = 3_000) {
    this.timer = setInterval(() => void this.tick(), everyMs);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  async tick() {
    if (this.busy) return;
    this.busy = true;
    try {
      this.ticks++;
      const open = [
        ...(await this.call('GET', '/api/v1/mes/work-orders?status=in_progress')),
        ...(await this.call('GET', '/api/v1/mes/work-orders?status=released')),
      ] as any[];
      await this.completeFinished(open);
      await this.startNext(open);
      await this.inspect();
      if (this.ticks % 40 === 0) await newOrder(this.call, this.orders++).catch((e) => this.log(`demo: new order: ${e.message}`));
      if (this.ticks % 15 === 0) await this.ship();
    } catch (e: any) {
      this.log(`demo: ${e.message}`);
    } finally {
      this.busy = false;
    }
  }

  private async completeFinished(open: any[]) {
    for (const wo of open) {
      const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i];
        if (op.status !== 'running') continue;
        const target = i === 0 ? Number(wo.qty) : Number(ops[i - 1].goodQty);
        const done = i === 0 ? Number(op.goodQty) >= target : Number(op.goodQty) + Number(op.scrapQty) >= target && ops[i - 1].status === 'done';
        if (done) await this.call('POST', `/api/v1/mes/operations/${op.id}/report`, { goodQty: 0, complete: true }).catch((e) => this.log(`demo: complete ${op.id}: ${e.message}`));
      }
    }
  }

  private async startNext(open: any[]) {
    const busy = new Set(open.flatMap((wo) => wo.operations.filter((o: any) => o.status === 'running').map((o: any) => o.workCenter)));
    const childrenOpen = new Set(open.filter((wo) => wo.parentWorkOrder).map((wo) => wo.parentWorkOrder));
    const ready = open
      .filter((wo) => !childrenOpen.has(wo.id))
      .sort((a, b) => String(a.plannedStart ?? a.dueDate ?? '').localeCompare(String(b.plannedStart ?? b.dueDate ?? '')));
    for (const wo of ready) {
      const ops = [...wo.operations].sort((a, b) => a.seq - b.seq);
      const next = ops.find((o) => o.status === 'pending');
      if (!next || busy.has(next.workCenter)) continue;
      const i = ops.indexOf(next);
      if (i > 0 && ops[i - 1].status !== 'done' && ops[i - 1].status !== 'running') continue;
      if (i > 0 && Number(ops[i - 1].goodQty) === 0) continue;
      if (i === 0 && !(await this.issue(wo))) continue;
      try {
        await this.call('POST', `/api/v1/mes/operations/${next.id}/start`, { operator: ['li.wei', 'anna.k', 'zhang.min', 'tom.b'][this.ticks % 4] });
        busy.add(next.workCenter);
      } catch (e: any) {
        this.log(`demo: start ${next.id}: ${e.message}`);
      }
    }
  }

  /** Issues the work order's material, oldest lots first; false if something is short. */
  private async issue(wo: any): Promise<boolean> {
    if (this.issued.has(wo.id)) return true;
    const bom = await this.call('GET', `/api/v1/erp/boms/${wo.itemCode}`).catch(() => null);
    for (const c of bom?.components ?? []) {
      let need = Number(c.qty) * Number(wo.qty);
      const stock = await this.call('GET', `/api/v1/erp/inventory/${c.itemCode}`);
      for (const l of (stock.lots ?? []).filter((x: any) => x.status === 'available' && Number(x.qty) > 0)) {
        if (need <= 0) break;
        const qty = Math.min(need, Number(l.qty));
        try {
          await this.call('POST', `/api/v1/mes/work-orders/${wo.id}/consume`, { itemCode: c.itemCode, lot: l.lot, qty });
          need -= qty;
        } catch (e: any) {
          this.log(`demo: consume ${c.itemCode} ${l.lot} for ${wo.id}: ${e.message}`);
        }
      }
      if (need > 0) return false;
    }
    this.issued.add(wo.id);
    return true;
  }

  private async inspect() {
    const done = (await this.call('GET', '/api/v1/mes/work-orders?status=completed')) as any[];
    for (const wo of done) {
      for (const out of wo.outputLots ?? []) {
        if (this.inspected.has(out.lot)) continue;
        this.inspected.add(out.lot);
        const fail = this.random() < 0.12;
        await this.call('POST', '/api/v1/mes/inspections', {
          workOrder: wo.id,
          lot: out.lot,
          result: fail ? 'fail' : 'pass',
          ...(fail ? { defects: [{ code: this.random() < 0.5 ? 'SPOKE_TENSION' : 'LATERAL_RUNOUT', qty: 1 + Math.floor(this.random() * 3) }], note: 'found at final inspection' } : {}),
        }).catch((e) => this.log(`demo: inspect ${out.lot}: ${e.message}`));
        if (fail) this.held.set(out.lot, this.ticks);
      }
    }
    for (const [lot, since] of this.held) {
      if (this.ticks - since < 20) continue;
      this.held.delete(lot);
      await this.call('POST', `/api/v1/mes/lots/${encodeURIComponent(lot)}/disposition`, { decision: this.random() < 0.8 ? 'release' : 'reject' }).catch(() => undefined);
    }
  }

  private async ship() {
    const orders = (await this.call('GET', '/api/v1/erp/sales-orders').catch(() => [])) as any[];
    for (const so of Array.isArray(orders) ? orders : []) {
      if (so.status === 'completed') await this.call('POST', `/api/v1/erp/sales-orders/${so.id}/ship`, {}).catch(() => undefined);
    }
  }
}

async function portFree(port: number, host: string) {
  return new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

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
  const items = (await call('GET', '/api/v1/erp/items')) as any[];
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
