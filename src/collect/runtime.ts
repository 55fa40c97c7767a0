import type { ModuleDeps } from '../platform/index.ts';
import { connectExternalBroker, startEmbeddedBroker, type ShopFloorLink } from './broker.ts';
import { WorkCenterCache } from './ingest.ts';
import { IngestPipeline, type PipelineOptions } from './pipeline.ts';
import type { ShopFloorPort } from './port.ts';

/** One app's collect state: the port to the shop floor, the ingest queue, the broker or client. */
export class CollectRuntime {
  readonly cache: WorkCenterCache;
  readonly pipeline: IngestPipeline;
  private link: ShopFloorLink | null = null;
  brokerMode: 'embedded' | 'external' | 'off' = 'off';

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

  /** Replaces the shop-floor port (tests, or a connector to an outside MES). */
  usePort(port: ShopFloorPort) {
    this.port = port;
    this.cache.clear();
  }

  async start() {
    const { config, db, log } = this.deps;
    if (config.mqttUrl) {
      this.link = await connectExternalBroker({ url: config.mqttUrl, clientId: config.mqttClientId, sharedGroup: config.mqttSharedGroup, pipeline: this.pipeline, log });
      this.brokerMode = 'external';
    } else if (config.mqttPort > 0) {
      try {
        this.link = await startEmbeddedBroker({ port: config.mqttPort, host: config.host, auth: config.mqttAuth, db, pipeline: this.pipeline, log });
        this.brokerMode = 'embedded';
      } catch (e: any) {
        if (e?.code !== 'EADDRINUSE') throw e;
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
