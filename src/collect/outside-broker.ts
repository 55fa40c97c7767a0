import mqtt, { type IPublishPacket } from 'mqtt';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { readingOf, type ShopFloorLink } from './broker.ts';
import { TOPIC_FILTER } from './model.ts';
import type { IngestPipeline } from './pipeline.ts';

/** The part of mqtt.js's client that sends packets (PUBACKs among them). */
interface PacketSender {
  _sendPacket(packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, ...rest: unknown[]): void;
}

/**
 * A client of an outside broker (Mosquitto, EMQX) with a persistent session: a fixed client id and
 * `clean: false`, so QoS 1 messages sent while Closeloop is down are delivered when it is back.
 * A message is acknowledged (PUBACK) only once the transaction holding it has committed: mqtt.js
 * handles one incoming packet at a time, so the message is handed on at once (the next one can be
 * read and join the same batch) and its PUBACK is held back until the pipeline has stored it.
 * Unacknowledged messages stay with the broker: after a crash it sends them again, to this
 * session or, with a shared subscription, to another instance of the group.
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
  // message id → stored yet? A PUBACK mqtt.js sends before the message is stored waits for it.
  const pending = new Map<number, { stored: boolean; send: (() => void) | null }>();
  // a PUBACK belongs to the connection that received the message (message ids are reused on the next one)
  let connection = 0;
  const sender = client as unknown as PacketSender;
  const sendPacket = sender._sendPacket.bind(client);
  sender._sendPacket = (packet, cb, ...rest) => {
    const held = packet.cmd === 'puback' && packet.messageId !== undefined ? pending.get(packet.messageId) : undefined;
    if (!held || held.stored) {
      if (held) pending.delete(packet.messageId!);
      return sendPacket(packet, cb, ...rest);
    }
    held.send = () => sendPacket(packet, undefined, ...rest);
    cb?.(); // mqtt.js goes on reading
  };
  client.handleMessage = (packet: IPublishPacket, callback) => {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload ?? '');
    const reading = readingOf(packet.topic, payload);
    if (!reading) return callback();
    if (packet.qos === 0 || packet.messageId === undefined) {
      opts.pipeline.offer(reading);
      return callback();
    }
    const id = packet.messageId;
    const on = connection;
    const entry = { stored: false, send: null as (() => void) | null };
    pending.set(id, entry);
    opts.pipeline.offer(reading, () => {
      entry.stored = true;
      if (entry.send && on === connection) {
        pending.delete(id);
        if (client.connected) entry.send();
      }
    });
    // back-pressure: while the queue is full, mqtt.js reads no further
    if (opts.pipeline.depth < opts.pipeline.opts.maxQueue) callback();
    else void opts.pipeline.roomFor().then(() => callback());
  };
  let subscribed: () => void = () => undefined;
  const first = new Promise<void>((r) => (subscribed = r));
  client.on('connect', (ack) => {
    // a new connection: the broker sends again what was not acknowledged on the old one
    pending.clear();
    connection++;
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
