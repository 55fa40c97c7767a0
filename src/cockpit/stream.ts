import type { FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { Throttled, type Actor, type EventHub, type LiveEvent, type Router, type SessionGuard } from '../platform/index.ts';
import { StreamPolicy } from './stream-policy.ts';

export interface StreamLimits {
  /** Open streams per caller (user or key); the next answers 429. */
  perCaller: number;
  /** Bytes written but not yet taken by a reader; past it the reader is too slow and is dropped. */
  maxBufferedBytes: number;
  /** Events waiting for their filter; past it the stream is dropped too. */
  maxPending: number;
  /** How often a stream checks that its session still holds (expiry; other instances' changes). */
  recheckMs: number;
  heartbeatMs: number;
}

export const STREAM_LIMITS: StreamLimits = { perCaller: 5, maxBufferedBytes: 256 * 1024, maxPending: 1000, recheckMs: 5_000, heartbeatMs: 15_000 };

interface Connection {
  caller: string;
  actor: Actor;
  request: FastifyRequest;
  res: ServerResponse;
  pending: number;
  chain: Promise<void>;
  end(reason: string): void;
}

/**
 * `GET /api/v1/events`: server-sent events of delivered messages, each filtered for the reader
 * (StreamPolicy); at most `perCaller` streams per caller; a reader that does not keep up is
 * dropped; the stream ends when the session does (logout, disabled user, revoked key, expiry),
 * at once on this instance and within `recheckMs` for changes made on another.
 */
export function liveStreamRoute(router: Router, deps: { hub: EventHub; guard: SessionGuard; policy: StreamPolicy; limits?: Partial<StreamLimits> }) {
  const limits = { ...STREAM_LIMITS, ...deps.limits };
  const open = new Set<Connection>();
  const perCaller = new Map<string, number>();

  const recheck = async (c: Connection) => {
    const now = await router.actorOf(c.request).catch(() => null);
    if (!now || `${now.kind}:${now.id}` !== c.caller) c.end('session ended');
    else c.actor = now; // changed roles or scope apply to the stream too
  };
  const recheckAll = () => {
    for (const c of open) void recheck(c);
  };
  deps.guard.onChange(recheckAll);
  deps.hub.listen((e) => {
    if (e.type === 'platform.api-key.revoked') recheckAll();
    for (const c of open) deliver(c, e);
  });

  const deliver = (c: Connection, e: LiveEvent) => {
    if (++c.pending > limits.maxPending) return c.end('too slow');
    c.chain = c.chain.then(async () => {
      const seen = await deps.policy.view(e, c.actor).catch(() => null);
      c.pending--;
      if (seen && open.has(c)) write(c, `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(seen)}\n\n`);
    });
  };

  const write = (c: Connection, text: string) => {
    if (c.res.writableLength > limits.maxBufferedBytes) return c.end('too slow');
    c.res.write(text);
  };

  router.route({
    method: 'GET',
    url: '/api/v1/events',
    permission: 'events.read',
    summary: 'Server-sent events of what changes, filtered to what the caller may read and its data scope; ends with the session',
    handler: async ({ actor, request, reply }) => {
      const caller = `${actor.kind}:${actor.id}`;
      const count = perCaller.get(caller) ?? 0;
      if (count >= limits.perCaller)
        throw new Throttled(429, 'too_many_requests', `at most ${limits.perCaller} open event streams per caller`, Math.ceil(limits.recheckMs / 1000));
      perCaller.set(caller, count + 1);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(': connected\n\n');
      let ended = false;
      const timers: NodeJS.Timeout[] = [];
      const cleanup = () => {
        if (ended) return;
        ended = true;
        open.delete(c);
        for (const t of timers) clearInterval(t);
        const n = (perCaller.get(caller) ?? 1) - 1;
        if (n > 0) perCaller.set(caller, n);
        else perCaller.delete(caller);
      };
      const c: Connection = {
        caller,
        actor,
        request,
        res,
        pending: 0,
        chain: Promise.resolve(),
        end(reason) {
          if (ended) return;
          cleanup();
          if (reason === 'too slow') res.destroy();
          else res.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        },
      };
      open.add(c);
      timers.push(setInterval(() => write(c, ': beat\n\n'), limits.heartbeatMs).unref());
      timers.push(setInterval(() => void recheck(c), limits.recheckMs).unref());
      res.on('close', cleanup);
      return undefined;
    },
  });

  return { open: () => open.size };
}
