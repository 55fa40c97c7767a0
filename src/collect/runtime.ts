import { readFileSync } from 'node:fs';
import { Counter, Gauge } from 'prom-client';
import type { ModuleDeps } from '../platform/index.ts';
import { startEmbeddedBroker, type Refusal, type ShopFloorLink } from './broker.ts';
import { WorkCenterCache } from './ingest.ts';
import { connectExternalBroker } from './outside-broker.ts';
import { IngestPipeline, type PipelineOptions } from './pipeline.ts';
import type { ShopFloorPort } from './port.ts';

/** One app's collect state: the port to the shop floor, the ingest queue, the broker or client. */
export class CollectRuntime {
  readonly cache: WorkCenterCache;
  readonly pipeline: IngestPipeline;
  private link: ShopFloorLink | null = null;
  brokerMode: 'embedded' | 'external' | 'off' = 'off';
  /** What the embedded broker refused since start, by reason. */
  readonly refusals = new Map<Refusal, number>();
  private refused: Counter | null = null;

  constructor(
    private readonly deps: ModuleDeps,
    public port: ShopFloorPort,
    pipeline?: Partial<PipelineOptions>,
  ) {
    this.cache = new WorkCenterCache(() => this.port);
    this.pipeline = new IngestPipeline(deps.db, () => this.port, this.cache, deps.log, { maxQueue: 20_000, maxBatch: 1_000, ...pipeline });
  }

  /** The embedded broker's port once started (null: off or an outside broker). */
  get mqttPort(): number | null {
    return this.link?.port ?? null;
  }

  /** The embedded broker's TLS port (null: no TLS listener). */
  get mqttTlsPort(): number | null {
    return this.link?.tlsPort ?? null;
  }

  /** Replaces the shop-floor port (tests, or a connector to an outside MES). */
  usePort(port: ShopFloorPort) {
    this.port = port;
    this.cache.clear();
  }

  private registerMetrics() {
    const registers = this.deps.metrics ? [this.deps.metrics] : [];
    this.refused = new Counter({ name: 'closeloop_mqtt_refused_total', help: 'Connections, publishes and subscriptions the embedded MQTT broker refused', labelNames: ['reason'], registers });
    const pipeline = this.pipeline;
    new Gauge({
      name: 'closeloop_collect_messages',
      help: 'Shop-floor messages since start (received, accepted, rejected) and queued now (waiting for their commit)',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'received' }, pipeline.stats.received);
        this.set({ state: 'accepted' }, pipeline.stats.accepted);
        this.set({ state: 'rejected' }, pipeline.stats.rejected);
        this.set({ state: 'queued' }, pipeline.depth);
      },
    });
  }

  private onRefusal = (why: Refusal) => {
    this.refusals.set(why, (this.refusals.get(why) ?? 0) + 1);
    this.refused?.inc({ reason: why });
  };

  async start() {
    const { config, db, log } = this.deps;
    if (this.deps.metrics && !this.refused) this.registerMetrics();
    if (config.mqttUrl) {
      this.link = await connectExternalBroker({ url: config.mqttUrl, clientId: config.mqttClientId, sharedGroup: config.mqttSharedGroup, pipeline: this.pipeline, log });
      this.brokerMode = 'external';
    } else if (config.mqttPort > 0) {
      const tls =
        config.mqttTlsCert && config.mqttTlsKey ? { cert: readFileSync(config.mqttTlsCert), key: readFileSync(config.mqttTlsKey), port: config.mqttTlsPort } : undefined;
      try {
        this.link = await startEmbeddedBroker({
          port: config.mqttPort,
          host: config.mqttHost ?? config.host,
          auth: config.mqttAuth,
          tls,
          db,
          pipeline: this.pipeline,
          log,
          recheckMs: config.mqttKeyRecheckMs,
          onRefusal: this.onRefusal,
        });
        this.brokerMode = 'embedded';
      } catch (e) {
        if ((e as { code?: string }).code !== 'EADDRINUSE') throw e;
        // another broker (or instance) has the port: serve HTTP anyway, and say so
        log.error({ port: config.mqttPort }, `collect: MQTT port ${config.mqttPort} is in use; the embedded broker is off (set MQTT_URL to use that broker, or MQTT_PORT)`);
      }
    }
  }

  async stop() {
    const link = this.link;
    this.link = null;
    this.brokerMode = 'off';
    await link?.close().catch((e) => this.deps.log.warn({ err: e }, 'collect: closing the broker link failed'));
    await this.pipeline.stop();
  }
}
