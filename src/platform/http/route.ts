import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import { can, type Permission } from '../auth/index.ts';
import type { Actor, Database, Queryable, UnitOfWork } from '../db/index.ts';
import { createHash } from 'node:crypto';
import { AppError, forbidden, unauthorized, unprocessable } from '../kernel/index.ts';

/** What a handler may return when the default status or JSON body is not what it answers. */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType?: string,
  ) {}
}
export const answer = (status: number, body: unknown, contentType?: string) => new Answer(status, body, contentType);

type Infer<S> = S extends ZodType ? z.output<S> : undefined;

export interface RouteContext<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  actor: Actor;
  db: Database;
  /** Reads: the database. */
  q: Queryable;
  /** Writes: the unit of work of this request (one transaction, messages and audit included). */
  uow: UnitOfWork;
  request: FastifyRequest;
  reply: FastifyReply;
  /** What the route's `prepare` returned (undefined without one). */
  prepared: unknown;
}

export interface RouteSpec<BS extends ZodType | undefined, PS extends ZodType | undefined, QS extends ZodType | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** The permission a caller needs; 'public' for the few routes without sign-in. */
  permission: Permission | 'public';
  summary: string;
  body?: BS;
  params?: PS;
  query?: QS;
  /** Status of a plain (non-Answer) result. Default 200. */
  status?: number;
  /** Extra content types the body may come in (the route then receives a string or Buffer). */
  rawBody?: boolean;
  /**
   * Work done before the unit of work opens (parsing and checking an upload, so no transaction is
   * held while it runs); its result is the handler's `prepared`.
   */
  prepare?: (ctx: Omit<RouteContext<Infer<BS>, Infer<PS>, Infer<QS>>, 'uow' | 'prepared'>) => Promise<unknown>;
  /** For write routes that manage their own transactions (long jobs); they get no `uow`. */
  ownTransactions?: boolean;
  handler: (ctx: RouteContext<Infer<BS>, Infer<PS>, Infer<QS>>) => Promise<unknown>;
}

interface IdempotencyRow {
  status: number;
  body: unknown;
  method: string;
  url: string;
  body_hash: string | null;
  content_type: string | null;
}

/** What a request's body was, as a hash (JSON as parsed and written again, text and bytes as sent). */
function hashBody(body: unknown): string {
  const h = createHash('sha256');
  if (Buffer.isBuffer(body)) h.update('b:').update(body);
  else if (typeof body === 'string') h.update('s:').update(body);
  else h.update('j:').update(JSON.stringify(body ?? null));
  return h.digest('hex');
}

const storedBody = (r: IdempotencyRow): unknown => {
  const b = r.body as { $base64?: unknown } | null;
  return b && typeof b === 'object' && typeof b.$base64 === 'string' && r.content_type ? Buffer.from(b.$base64, 'base64') : r.body;
};

/** Keys are kept for IDEMPOTENCY_RETENTION_HOURS (the contract promises 24 h at least). */
export const IDEMPOTENCY_RETENTION_HOURS = 48;
const PURGE_EVERY_MS = 10 * 60_000;
const lastPurge = new WeakMap<Database, number>();

/** Deletes keys older than their retention; returns how many. */
export async function purgeIdempotencyKeys(q: Queryable, retentionHours = IDEMPOTENCY_RETENTION_HOURS): Promise<number> {
  const rows = await q.query<{ key: string }>(
    `delete from platform.idempotency where created_at < now() - ($1::text || ' hours')::interval returning key`,
    [String(retentionHours)],
  );
  return rows.length;
}

/** After a keyed write: purges old keys at most every ten minutes per database, in the background. */
function purgeNowAndThen(db: Database) {
  const now = Date.now();
  if (now - (lastPurge.get(db) ?? 0) < PURGE_EVERY_MS) return;
  lastPurge.set(db, now);
  void purgeIdempotencyKeys(db).catch(() => lastPurge.delete(db));
}

export interface RegisteredRoute {
  method: string;
  url: string;
  permission: Permission | 'public';
  module: string;
}

export type ActorResolver = (req: FastifyRequest) => Promise<Actor | null>;

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one way to declare an HTTP route: schema → permission → unit of work → answer.
 * It validates and types input (zod), documents the route in OpenAPI, checks the permission,
 * runs writes in one unit of work, and makes every write idempotent under `Idempotency-Key`.
 */
export class Router {
  readonly routes: RegisteredRoute[] = [];

  constructor(
    private readonly app: FastifyInstance,
    private readonly db: Database,
    private readonly resolveActor: ActorResolver,
  ) {}

  /** Who the request's credentials name now (null: none, expired, revoked, disabled). Live streams re-check with it. */
  actorOf(request: Pick<FastifyRequest, 'headers'>): Promise<Actor | null> {
    return this.resolveActor(request as FastifyRequest);
  }

  route<BS extends ZodType | undefined = undefined, PS extends ZodType | undefined = undefined, QS extends ZodType | undefined = undefined>(
    spec: RouteSpec<BS, PS, QS>,
  ) {
    const module = moduleOf(spec.url);
    this.routes.push({ method: spec.method, url: spec.url, permission: spec.permission, module });
    const isWrite = WRITE.has(spec.method);
    const db = this.db;
    const resolveActor = this.resolveActor;
    this.app.withTypeProvider<ZodTypeProvider>().route({
      method: spec.method,
      url: spec.url,
      schema: {
        summary: spec.summary,
        tags: [module],
        ...(spec.permission === 'public' ? {} : { security: [{ bearer: [] }, { apiKey: [] }] }),
        ...(spec.body && !spec.rawBody ? { body: spec.body } : {}),
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { querystring: spec.query } : {}),
      },
      // Who calls and whether they may, before the body is parsed or validated: a caller without
      // the permission learns nothing about the input (401/403 first).
      onRequest: async (request) => {
        const actor = spec.permission === 'public' ? anonymous : await resolveActor(request);
        if (!actor) throw unauthorized();
        if (spec.permission !== 'public' && !can(actor.roles, spec.permission))
          throw forbidden(`${spec.permission} is needed`, { permission: spec.permission });
        actors.set(request, actor);
      },
      // A write whose body schema allows an empty object accepts no body at all.
      ...(spec.body && !spec.rawBody && isWrite
        ? {
            preValidation: async (request: FastifyRequest) => {
              if (request.body === undefined || request.body === null) request.body = {};
            },
          }
        : {}),
      handler: async (request, reply) => {
        const actor = actors.get(request);
        if (!actor) throw unauthorized();
        let body: unknown = request.body;
        if (spec.rawBody && spec.body && typeof body === 'object' && !Buffer.isBuffer(body)) body = spec.body.parse(body);
        const ctx = { body, params: request.params, query: request.query, actor, db, q: db, request, reply } as unknown as RouteContext<Infer<BS>, Infer<PS>, Infer<QS>>;
        const noUow = () => {
          throw new AppError('internal', 'this route has no unit of work');
        };
        if (spec.prepare) ctx.prepared = await spec.prepare(ctx);
        let result: unknown;
        if (!isWrite || spec.ownTransactions) {
          Object.defineProperty(ctx, 'uow', { get: noUow });
          result = await spec.handler(ctx);
        } else {
          const key = request.headers['idempotency-key'];
          if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200))
            throw new AppError('bad_request', 'Idempotency-Key must be 1 to 200 characters');
          const caller = `${actor.kind}:${actor.id}`;
          const bodyHash = key ? hashBody(request.body) : null;
          let replay: Answer | null = null;
          result = await db.unitOfWork({ actor, module }, async (uow) => {
            if (key) {
              const claimed = await uow.query<{ key: string }>(
                `insert into platform.idempotency (caller, key, method, url, status, body_hash) values ($1, $2, $3, $4, 0, $5)
                 on conflict do nothing returning key`,
                [caller, key, spec.method, request.url, bodyHash],
              );
              if (!claimed.length) {
                const [first] = await uow.query<IdempotencyRow>(
                  'select status, body, method, url, body_hash, content_type from platform.idempotency where caller = $1 and key = $2',
                  [caller, key],
                );
                if (first.method !== spec.method || first.url !== request.url)
                  throw unprocessable('Idempotency-Key already used for another request', { key, reason: 'idempotency_key_reused' });
                if (first.body_hash !== null && first.body_hash !== bodyHash)
                  throw unprocessable('Idempotency-Key already used with another body', { key, reason: 'idempotency_key_reused' });
                replay = answer(first.status, storedBody(first), first.content_type ?? undefined);
                return replay;
              }
            }
            ctx.uow = uow;
            const value = await spec.handler(ctx);
            if (key) {
              const a = value instanceof Answer ? value : answer(spec.status ?? 200, value);
              await uow.query('update platform.idempotency set status = $3, body = $4, content_type = $5 where caller = $1 and key = $2', [
                caller,
                key,
                a.status,
                JSON.stringify(Buffer.isBuffer(a.body) ? { $base64: a.body.toString('base64') } : (a.body ?? null)),
                a.contentType ?? null,
              ]);
              uow.afterCommit(() => purgeNowAndThen(db));
            }
            return value;
          });
          if (replay) reply.header('idempotent-replay', 'true');
        }
        if (reply.sent) return reply; // the handler answered itself (event stream)
        if (result instanceof Answer) {
          reply.code(result.status);
          if (result.contentType) reply.type(result.contentType);
          return reply.send(result.body);
        }
        reply.code(spec.status ?? 200);
        return reply.send(result ?? null);
      },
    });
  }
}

const actors = new WeakMap<FastifyRequest, Actor>();
const anonymous: Actor = { kind: 'user', id: 'anonymous', roles: [] };

function moduleOf(url: string): string {
  const m = /^\/api\/v1\/([^/]+)/.exec(url);
  if (!m) return 'platform';
  const seg = m[1];
  if (seg === 'trace') return 'mes';
  return ['auth', 'users', 'api-keys', 'alerts', 'audit', 'events', 'webhooks'].includes(seg) ? 'platform' : seg;
}
