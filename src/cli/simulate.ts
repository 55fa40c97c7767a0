import mqtt from 'mqtt';
import { parseArgs } from 'node:util';
import { messageOf } from '../platform/kernel/index.ts';
import { jobsFromApi, type Job, type JobsSource, type SimWorkCenter } from './simulate-api.ts';

/**
 * `closeloop simulate`: machines that behave like machines, over MQTT (CONTRACT.md "Shop-floor
 * MQTT"). Each work centre cycles parts for its running operation (cycle time from the routing,
 * with jitter), scraps a few, stops now and then with a reason and comes back, idles when it has
 * nothing to do, and sends spindle load, temperature and power. Time runs `speed` times faster.
 * Running operations come from the HTTP API (`--api`, `--token`/`--api-key`), or, without it, every
 * work centre named with `--work-centers` is assumed to have one.
 */

export interface SimulatorOptions {
  speed: number;
  publish: (topic: string, payload: object) => void;
  /** The work centres and their running operation (null: nothing to do); asked every few seconds. */
  jobs: JobsSource;
  random?: () => number;
  /** Real milliseconds between telemetry messages of one machine. */
  telemetryEveryMs?: number;
  /** Mean time between failures, simulated minutes. */
  mtbfMinutes?: number;
  scrapRate?: number;
  log?: (line: string) => void;
}

const STOP_REASONS = ['spoke feeder jam', 'rim clamp misaligned', 'tool change', 'material shortage', 'truing sensor fault', 'air pressure low', 'operator break'];

interface Machine extends SimWorkCenter {
  state: 'running' | 'idle' | 'down';
  downUntil: number;
  nextCycleAt: number;
  temperature: number;
  lastTelemetry: number;
  job: Job | null;
  /** Pieces published per operation, and the operation's count when first seen. */
  sent: Map<string, number>;
  baseline: Map<string, number>;
}

export class ShopFloorSimulator {
  private readonly machines = new Map<string, Machine>();
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private refreshing = false;
  private lastRefresh = 0;
  private readonly startReal = Date.now();
  private lastTick = Date.now();
  readonly published = { state: 0, count: 0, telemetry: 0 };

  constructor(private readonly opts: SimulatorOptions) {
    this.random = opts.random ?? Math.random;
  }

  /** Simulated now, ms. */
  private simNow(real = Date.now()) {
    return this.startReal + (real - this.startReal) * this.opts.speed;
  }

  start(tickMs = 250) {
    void this.refresh();
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh() {
    if (this.refreshing) return;
    this.refreshing = true;
    this.lastRefresh = Date.now();
    try {
      const { workCenters, jobs } = await this.opts.jobs();
      const now = this.simNow();
      for (const wc of workCenters) {
        let m = this.machines.get(wc.code);
        if (!m) {
          m = { ...wc, state: 'idle', downUntil: 0, nextCycleAt: 0, temperature: 24 + this.random() * 3, lastTelemetry: 0, job: null, sent: new Map(), baseline: new Map() };
          this.machines.set(wc.code, m);
          this.send(m, 'state', { state: 'idle' });
        }
        const job = jobs.get(wc.code) ?? null;
        if (job?.operation && m.job?.operation !== job.operation) m.nextCycleAt = now + this.cycleMs(job);
        if (job?.operation && !m.baseline.has(job.operation)) m.baseline.set(job.operation, job.counted);
        m.job = job;
      }
    } catch (e: unknown) {
      this.opts.log?.(`simulator: could not read running operations: ${messageOf(e)}`);
    } finally {
      this.refreshing = false;
    }
  }

  /** Pieces published but not yet in the MES's count (so the machine never over-reports). */
  private inFlight(m: Machine, job: Job) {
    const key = job.operation ?? '';
    return Math.max(0, (m.sent.get(key) ?? 0) - (job.counted - (m.baseline.get(key) ?? job.counted)));
  }

  private cycleMs(job: Job) {
    return Math.max(1, job.minutesPerUnit) * 60_000 * (0.9 + this.random() * 0.3);
  }

  private send(m: Machine, kind: 'state' | 'count' | 'telemetry', payload: object) {
    this.published[kind]++;
    this.opts.publish(`closeloop/v1/${m.plant}/${m.code}/${kind}`, { ...payload, at: new Date(Date.now()).toISOString() });
  }

  private tick() {
    const real = Date.now();
    if (real - this.lastRefresh > 2_000) void this.refresh();
    const now = this.simNow(real);
    const dtSimMin = ((real - this.lastTick) * this.opts.speed) / 60_000;
    this.lastTick = real;
    for (const m of this.machines.values()) {
      const job = m.job;
      const left = job ? job.available - this.inFlight(m, job) : 0;
      if (m.state === 'down') {
        if (now < m.downUntil) {
          this.telemetry(m, real);
          continue;
        }
        m.nextCycleAt = now + (job ? this.cycleMs(job) : 0);
      }
      const want = job && left > 0 ? 'running' : 'idle';
      if (want !== m.state) {
        m.state = want;
        this.send(m, 'state', { state: want });
        if (job) m.nextCycleAt = now + this.cycleMs(job);
      }
      if (m.state === 'running' && job) {
        if (this.random() < dtSimMin / (this.opts.mtbfMinutes ?? 120)) {
          m.state = 'down';
          m.downUntil = now + (2 + -Math.log(1 - this.random()) * 6) * 60_000;
          this.send(m, 'state', { state: 'down', reason: STOP_REASONS[Math.floor(this.random() * STOP_REASONS.length)] });
        } else {
          let good = 0;
          let scrap = 0;
          while (now >= m.nextCycleAt && good + scrap < left) {
            if (this.random() < (this.opts.scrapRate ?? 0.03)) scrap++;
            else good++;
            m.nextCycleAt += this.cycleMs(job);
          }
          if (good + scrap > 0) {
            const key = job.operation ?? '';
            m.sent.set(key, (m.sent.get(key) ?? 0) + good + scrap);
            this.send(m, 'count', { ...(job.operation ? { operation: job.operation } : {}), good, scrap });
          }
        }
      }
      this.telemetry(m, real);
    }
  }

  private telemetry(m: Machine, real: number) {
    if (real - m.lastTelemetry < (this.opts.telemetryEveryMs ?? 2_000)) return;
    m.lastTelemetry = real;
    const r = this.random;
    const running = m.state === 'running';
    m.temperature += ((running ? 62 : 26) - m.temperature) * 0.08 + (r() - 0.5) * 0.4;
    const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
    this.send(m, 'telemetry', {
      spindleLoad: round(running ? 55 + (r() - 0.5) * 25 : m.state === 'down' ? 0 : 4 + r() * 2),
      temperatureC: round(m.temperature),
      powerKw: round(running ? 4.2 + r() * 2.6 : m.state === 'down' ? 0.2 : 0.7 + r() * 0.2, 2),
    });
  }
}

const USAGE = `closeloop simulate — machines publishing over MQTT

  --url mqtt://127.0.0.1:1883   the broker (default: MQTT_URL, else mqtt://127.0.0.1:MQTT_PORT)
  --speed N                     simulated time runs N times faster (default 60)
  --plants a,b                  only these plants (default: all of the API's; without it: main)
  --duration S                  stop after S seconds (default: until interrupted)
  --api http://127.0.0.1:8080   read work centres and running operations from Closeloop
  --token T | --api-key K       credentials for --api
  --work-centers A,B            without --api: these work centres, each always busy
  --username U --password P     MQTT credentials (any username, an API key as password; needed unless MQTT_AUTH=off)`;

export async function runSimulate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      speed: { type: 'string', default: '60' },
      plants: { type: 'string' },
      duration: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
      'api-key': { type: 'string' },
      'work-centers': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const url = values.url ?? process.env.MQTT_URL ?? `mqtt://127.0.0.1:${process.env.MQTT_PORT || 1883}`;
  const speed = Number(values.speed);
  if (!(speed > 0)) {
    console.error('--speed must be a positive number');
    return 2;
  }
  const plants = values.plants?.split(',').filter(Boolean);
  let jobs: SimulatorOptions['jobs'];
  if (values.api) {
    const headers: Record<string, string> = values.token ? { authorization: `Bearer ${values.token}` } : values['api-key'] ? { 'x-api-key': values['api-key'] } : {};
    jobs = jobsFromApi(values.api, headers, plants);
  } else if (values['work-centers']) {
    const codes = values['work-centers'].split(',').filter(Boolean);
    const workCenters = (plants?.length ? plants : ['main']).flatMap((plant) => codes.map((code) => ({ code, plant })));
    const fixed = new Map(codes.map((c) => [c, { operation: null, minutesPerUnit: 1, available: Infinity, counted: 0 } as Job]));
    jobs = async () => ({ workCenters, jobs: fixed });
  } else {
    console.error(`either --api or --work-centers is needed\n\n${USAGE}`);
    return 2;
  }
  const client = await mqtt.connectAsync(url, { username: values.username, password: values.password, reconnectPeriod: 1_000 });
  const sim = new ShopFloorSimulator({
    speed,
    jobs,
    publish: (topic, payload) => void client.publish(topic, JSON.stringify(payload), { qos: 1 }),
    log: (line) => console.error(line),
  });
  sim.start();
  console.log(`simulating at ${speed}× to ${url}${values.api ? ` (operations from ${values.api})` : ''}; Ctrl-C stops`);
  const report = setInterval(() => console.log(`published: ${JSON.stringify(sim.published)}`), 10_000);
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    if (values.duration) setTimeout(done, Number(values.duration) * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  clearInterval(report);
  sim.stop();
  await client.endAsync();
  console.log(`published: ${JSON.stringify(sim.published)}`);
  return 0;
}
