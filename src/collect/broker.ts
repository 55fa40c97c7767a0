import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import mqtt from 'mqtt';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { actorForApiKey, can, type Database } from '../platform/index.ts';
import { parseTopic, readPayload, TOPIC_FILTER, TOPIC_PREFIX, type Envelope, type Reading } from './model.ts';
import type { IngestPipeline } from './pipeline.ts';

export interface ShopFloorLink {
  /** The embedded broker's port (null with an outside broker). */
  port: number | null;
  close(): Promise<void>;
}

/** A message on a topic of the model (or under its prefix with the wrong shape) → a reading. */
export function readingOf(topic: string, payload: Buffer, scope?: Envelope['scope']): Reading | null {
  if (!topic.startsWith(TOPIC_PREFIX)) return null;
  const t = parseTopic(topic);
  const receivedAt = Date.now();
  if (!t) {
    const rest = topic.slice(TOPIC_PREFIX.length).split('/');
    return {
      source: 'mqtt',
      topic,
      plant: rest[0] ?? '',
      workCenter: rest[1] ?? '',
      kind: rest[2] ?? '',
      receivedAt,
      ok: false,
      reason: 'topic must be closeloop/v1/{plant}/{workCenter}/{kind}',
      payload: { raw: payload.toString().slice(0, 2000) },
    };
  }
  return readPayload({ source: 'mqtt', topic, ...t, receivedAt, scope }, payload);
}

/**
 * The embedded broker (Aedes) on `port`. Messages on `closeloop/v1/…` are taken in
 * `authorizePublish`, before the broker acknowledges them: while the ingest queue is full the
 * callback waits, so the broker neither acknowledges (QoS 1) nor reads more from that device.
 * With `auth`, a device connects with any username and an API key with `collect.ingest` as password.
 */
export async function startEmbeddedBroker(opts: {
  port: number;
  host: string;
  auth: boolean;
  db: Database;
  pipeline: IngestPipeline;
  log: Logger;
}): Promise<ShopFloorLink> {
  const scopes = new WeakMap<Client, Envelope['scope']>();
  const authenticate: AedesOptions['authenticate'] = (client, _username, password, done) => {
          const refuse = () => done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as AuthenticateError, false);
          if (!password?.length) return refuse();
          actorForApiKey(opts.db, password.toString()).then(
            (actor) => {
              if (!actor || !can(actor.roles, 'collect.ingest')) return refuse();
              scopes.set(client, actor.scope);
              done(null, true);
            },
            (e) => {
              opts.log.error({ err: e }, 'collect: device authentication failed');
              done(Object.assign(new Error('server unavailable'), { returnCode: 3 }) as AuthenticateError, false);
            },
          );
        };
  const broker = await Aedes.createBroker({
    ...(opts.auth ? { authenticate } : {}),
    authorizePublish: (client, packet, callback) => {
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload ?? '');
      const reading = readingOf(packet.topic, payload, client ? scopes.get(client) : undefined);
      if (!reading) return callback(null);
      opts.pipeline.offer(reading, () => callback(null));
    },
  });
  const server: Server = createServer(broker.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await new Promise<void>((r) => broker.close(() => r()));
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  opts.log.info({ port }, 'collect: embedded MQTT broker listening');
  return {
    port,
    async close() {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * A client of an outside broker (Mosquitto, EMQX) with a persistent session: a fixed client id and
 * `clean: false`, so QoS 1 messages sent while Closeloop is down are delivered when it is back.
 * A message is acknowledged once it is in the ingest queue; while the queue is full the client
 * stops reading, and the broker holds the rest.
 */
export async function connectExternalBroker(opts: {
  url: string;
  clientId?: string;
  /** An MQTT shared subscription (`$share/<group>/…`): several instances, each message to one of them. */
  sharedGroup?: string;
  pipeline: IngestPipeline;
  log: Logger;
  connectTimeoutMs?: number;
}): Promise<ShopFloorLink> {
  const clientId = opts.clientId ?? `closeloop-collect-${hostname()}`.slice(0, 64);
  const filter = opts.sharedGroup ? `$share/${opts.sharedGroup}/${TOPIC_FILTER}` : TOPIC_FILTER;
  const client = mqtt.connect(opts.url, {
    clientId,
    clean: false,
    reconnectPeriod: 1_000,
    connectTimeout: 10_000,
    protocolVersion: 5,
    // MQTT 5: keep the session a week after a disconnect, and let the broker send many messages
    // before their PUBACKs (the queue, not the broker's in-flight window, is the limit)
    properties: { sessionExpiryInterval: 7 * 24 * 3600, receiveMaximum: 65_535 },
  });
  client.handleMessage = (packet, callback) => {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload ?? '');
    const reading = readingOf(packet.topic, payload);
    if (!reading) return callback();
    opts.pipeline.offer(reading, () => callback());
  };
  let subscribed: () => void = () => undefined;
  const first = new Promise<void>((r) => (subscribed = r));
  client.on('connect', (ack) => {
    opts.log.info({ url: opts.url, clientId, filter, sessionPresent: ack.sessionPresent }, 'collect: connected to the MQTT broker');
    client.subscribe(filter, { qos: 1 }, (err) => {
      if (err) opts.log.error({ err }, 'collect: subscribe failed');
      else subscribed();
    });
  });
  client.on('error', (err) => opts.log.warn({ err }, 'collect: MQTT client error'));
  // wait for the first subscription, but serve anyway if the broker is away (the client reconnects)
  let timer: NodeJS.Timeout | undefined;
  const away = new Promise<void>((r) => {
    timer = setTimeout(() => {
      opts.log.warn({ url: opts.url }, 'collect: MQTT broker not reachable yet; retrying in the background');
      r();
    }, opts.connectTimeoutMs ?? 5_000);
  });
  await Promise.race([first, away]);
  clearTimeout(timer);
  return {
    port: null,
    async close() {
      await client.endAsync();
    },
  };
}
