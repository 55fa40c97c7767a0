import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { Throttled } from '../auth/throttle.ts';
import { isAppError } from '../kernel/index.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const send = (reply: FastifyReply, status: number, code: string, message: string, details?: unknown) =>
  reply.code(status).send({ error: details === undefined ? { code, message } : { code, message, details } } satisfies ErrorBody);

/** Every error of every route becomes the contract's shape, here and nowhere else. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (isAppError(err)) return send(reply, err.status, err.code, err.message, err.details);
  if (err instanceof Throttled) {
    reply.header('retry-after', String(Math.max(1, err.retryAfterSeconds)));
    return send(reply, err.status, err.code, err.message, { retryAfterSeconds: Math.max(1, err.retryAfterSeconds) });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issues = err.validation.map((v) => ({
      // the zod issue's path when there is one (params.issue), else the JSON pointer of the value
      path: [err.validationContext, ...((v.params?.issue as { path?: (string | number)[] } | undefined)?.path ?? (v.instancePath ? v.instancePath.split('/').filter(Boolean) : []))].join('.'),
      message: v.message,
    }));
    return send(reply, 400, 'bad_request', `invalid ${err.validationContext ?? 'request'}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  if (err instanceof ZodError) {
    return send(reply, 400, 'bad_request', 'invalid input', { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 413, 'payload_too_large', 'request body too large');
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(reply, 415 as number, 'unsupported_media_type', fe.message);
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)
    return send(reply, 400, 'bad_request', `malformed JSON: ${err.message}`);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return send(reply, fe.statusCode, 'bad_request', err.message);
  req.log.error({ err }, 'unhandled error');
  return send(reply, 500, 'internal', 'internal error');
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`);
}
