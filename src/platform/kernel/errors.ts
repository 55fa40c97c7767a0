/**
 * Errors of the domain, each with the HTTP status it maps to (in one place: platform/http/errors.ts).
 * Services throw these; routes and message handlers never build error answers themselves.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'payload_too_large'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  payload_too_large: 413,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusOf[code];
  }
}

export const notFound = (what: string, ref: string | number) =>
  new AppError('not_found', `${what} ${ref} not found`, { entity: what, ref: String(ref) });
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError('conflict', message, details);
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
  new AppError('unprocessable', message, details);
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new AppError('bad_request', message, details);
export const forbidden = (message = 'not permitted', details?: Record<string, unknown>) =>
  new AppError('forbidden', message, details);
export const unauthorized = (message = 'authentication required') => new AppError('unauthorized', message);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** What a caught value says: its message when it has one (an Error), else the value itself as text. */
export const messageOf = (e: unknown): string => String((e as { message?: unknown } | null | undefined)?.message ?? e);
