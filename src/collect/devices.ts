import type { Client } from 'aedes';
import type { Logger } from 'pino';
import { can, type Database } from '../platform/index.ts';
import type { Envelope } from './model.ts';
import { liveApiKeys } from './store.ts';

/** A device signed in to the embedded broker: its API key and that key's scope. */
export interface Device {
  keyId: string | null;
  scope: Envelope['scope'];
}

/** Keys looked up per query when connected devices are checked again. */
const CHECK_CHUNK = 5_000;

/**
 * The devices connected to the embedded broker. Every `recheckMs` their keys are looked up again
 * (one query for up to 5,000 keys, never two checks at once): a device whose key was revoked,
 * deleted or lost `collect.ingest` is handed to `onRevoked` (which disconnects it).
 */
export class DeviceWatch {
  private readonly devices = new Map<Client, Device>();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly onRevoked: (client: Client) => void,
  ) {}

  add(client: Client, device: Device) {
    this.devices.set(client, device);
  }

  get(client: Client): Device | undefined {
    return this.devices.get(client);
  }

  remove(client: Client) {
    this.devices.delete(client);
  }

  start(everyMs: number) {
    this.timer = setInterval(() => void this.check(), everyMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Looks up the keys of the connected devices once; disconnects those no longer allowed in. */
  async check() {
    if (this.checking || !this.devices.size) return;
    this.checking = true;
    try {
      const entries = [...this.devices].filter(([, d]) => d.keyId !== null);
      for (let i = 0; i < entries.length; i += CHECK_CHUNK) {
        const chunk = entries.slice(i, i + CHECK_CHUNK);
        const live = await liveApiKeys(this.db, [...new Set(chunk.map(([, d]) => d.keyId!))]);
        const allowed = new Set(live.filter((k) => can(k.roles, 'collect.ingest')).map((k) => k.id));
        for (const [client, d] of chunk) {
          if (allowed.has(d.keyId!)) continue;
          this.devices.delete(client);
          this.onRevoked(client);
        }
      }
    } catch (e) {
      this.log.warn({ err: e }, 'collect: checking the keys of connected devices failed; trying again later');
    } finally {
      this.checking = false;
    }
  }
}
