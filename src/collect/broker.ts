import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Logger } from 'pino';
import { actorForApiKey, can, type Database } from '../platform/index.ts';
import { DeviceWatch, type Device } from './devices.ts';
import { parseTopic, readPayload, TOPIC_PREFIX, type Envelope, type Reading } from './model.ts';
import type { IngestPipeline } from './pipeline.ts';

export interface ShopFloorLink {
  /** The embedded broker's port (null with an outside broker). */
  port: number | null;
  /** The embedded broker's TLS port (null: no TLS listener). */
  tlsPort?: number | null;
  close(): Promise<void>;
}

/** Largest payload a device may publish. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Largest MQTT packet read at all (payload + topic + header): a larger one closes the connection before it is buffered. */
const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 1024;

/** Why the embedded broker refused something (the label of `closeloop_mqtt_refused_total`). */
export type Refusal = 'credentials' | 'not_authorized' | 'unavailable' | 'subscribe' | 'retained' | 'system_topic' | 'topic' | 'scope' | 'too_large' | 'revoked';

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

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Why a device may not publish on a topic (null: it may). */
function publishRefusal(device: Device, topic: string, retain: boolean, bytes: number): Refusal | null {
  if (topic.startsWith('$')) return 'system_topic';
  if (retain) return 'retained';
  if (bytes > MAX_PAYLOAD_BYTES) return 'too_large';
  if (!topic.startsWith(TOPIC_PREFIX)) return 'topic';
  const [plant, workCenter] = topic.slice(TOPIC_PREFIX.length).split('/');
  const s = device.scope;
  if (s?.plants?.length && !s.plants.includes(plant)) return 'scope';
  if (s?.workCenters?.length && !s.workCenters.includes(workCenter)) return 'scope';
  return null;
}

/**
 * The embedded broker (Aedes, MQTT 3.1.1) on `port`, and on `tls.port` with TLS when given.
 * - A device signs in with an API key as password (any user name) that has `collect.ingest`;
 *   refused: CONNACK 4 (bad user name or password), 5 (not authorized) or 3 (database away).
 *   With `auth` off the broker listens on loopback only.
 * - It publishes only on `closeloop/v1/{plant}/{workCenter}/{kind}` inside its key's scope, not
 *   retained, at most 64 KiB; `$` topics, subscriptions (SUBACK 0x80) and anything else are
 *   refused. MQTT 3.1.1 has no reason code on PUBACK: a refused publish closes the connection.
 * - A QoS 1 message is acknowledged after the transaction holding it commits: its
 *   `authorizePublish` callback waits for the pipeline, and Aedes writes the PUBACK only then (and
 *   reads no more of that connection meanwhile: back-pressure).
 * - Connected devices whose key was revoked (or lost `collect.ingest`) are disconnected within
 *   `recheckMs`.
 */
export async function startEmbeddedBroker(opts: {
  port: number;
  host: string;
  auth: boolean;
  tls?: { cert: string | Buffer; key: string | Buffer; port: number };
  db: Database;
  pipeline: IngestPipeline;
  log: Logger;
  recheckMs?: number;
  onRefusal?: (why: Refusal) => void;
}): Promise<ShopFloorLink> {
  if (!opts.auth && !isLoopback(opts.host))
    throw new Error(`MQTT_AUTH=off is allowed on a loopback listener only, not ${opts.host}: set MQTT_HOST=127.0.0.1 or turn device authentication on`);
  const refused = (why: Refusal, client: Client | null, detail?: string) => {
    opts.onRefusal?.(why);
    opts.log.warn({ client: client?.id, why, detail }, 'collect: MQTT refused');
  };
  const watch = new DeviceWatch(opts.db, opts.log, (client) => {
    refused('revoked', client);
    client.close();
  });
  const open: Device = { keyId: null, scope: undefined };
  const authenticate: AedesOptions['authenticate'] = (client, _username, password, done) => {
    const refuse = (returnCode: number, why: Refusal) => {
      refused(why, client);
      done(Object.assign(new Error(why), { returnCode }) as AuthenticateError, false);
    };
    if (!password?.length) return refuse(4, 'credentials');
    actorForApiKey(opts.db, password.toString()).then(
      (actor) => {
        if (!actor) return refuse(4, 'credentials');
        if (!can(actor.roles, 'collect.ingest')) return refuse(5, 'not_authorized');
        watch.add(client, { keyId: actor.id, scope: actor.scope });
        done(null, true);
      },
      (e: unknown) => {
        opts.log.error({ err: e }, 'collect: device authentication failed');
        refuse(3, 'unavailable');
      },
    );
  };
  const broker = await Aedes.createBroker({
    ...(opts.auth ? { authenticate } : {}),
    authorizePublish: (client, packet, callback) => {
      if (!client) return callback(null); // the broker's own (none are sent)
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload ?? '');
      const device = opts.auth ? watch.get(client) : open;
      const why = device ? publishRefusal(device, packet.topic, packet.retain, payload.length) : 'revoked';
      if (why) {
        refused(why, client, packet.topic.slice(0, 200));
        return callback(new Error(`publish refused: ${why}`));
      }
      const reading = readingOf(packet.topic, payload, device?.scope);
      if (!reading) return callback(new Error('publish refused: topic'));
      // the acknowledgement waits for the commit
      opts.pipeline.offer(reading, () => callback(null));
    },
    authorizeSubscribe: (client, sub, callback) => {
      refused('subscribe', client, sub.topic.slice(0, 200));
      callback(null, null); // SUBACK 0x80: devices only publish
    },
  });
  broker.on('clientDisconnect', (client) => watch.remove(client));
  const accept = (socket: Socket) => {
    const client = broker.handle(socket) as unknown as { _parser: LengthParser };
    limitPacketSize(client._parser, () => refused('too_large', null));
  };
  const servers: Server[] = [createServer(accept)];
  if (opts.tls) servers.push(createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, accept));
  try {
    await listen(servers[0], opts.port, opts.host);
    if (opts.tls) await listen(servers[1], opts.tls.port, opts.host);
  } catch (e) {
    await new Promise<void>((r) => broker.close(() => r()));
    for (const s of servers) s.close();
    throw e;
  }
  if (opts.auth) watch.start(opts.recheckMs ?? 5_000);
  const port = (servers[0].address() as AddressInfo).port;
  const tlsPort = opts.tls ? (servers[1].address() as AddressInfo).port : null;
  opts.log.info({ port, tlsPort, auth: opts.auth }, 'collect: embedded MQTT broker listening');
  return {
    port,
    tlsPort,
    async close() {
      watch.stop();
      await new Promise<void>((r) => broker.close(() => r()));
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}

function listen(server: Server, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** What of mqtt-packet's parser is used to refuse an oversized packet as soon as its length is read. */
interface LengthParser {
  packet: { length: number };
  _parseLength(): boolean;
  _emitError(e: Error): void;
}

function limitPacketSize(parser: LengthParser, onRefused: () => void) {
  const parseLength = parser._parseLength;
  parser._parseLength = function (this: LengthParser) {
    const done = parseLength.call(this);
    if (done && this.packet.length > MAX_PACKET_BYTES) {
      onRefused();
      this._emitError(new Error(`packet of ${this.packet.length} bytes is over ${MAX_PACKET_BYTES}`));
      return false;
    }
    return done;
  };
}
