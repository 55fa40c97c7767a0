/**
 * The one error type of the B2MML codec. `code` says what went wrong in machine terms,
 * `status` is the HTTP status a route should answer with (400 not XML / unsafe, 413 too large,
 * 422 well-formed but not a usable document), `details` points at the place in the document.
 */
export type B2mmlErrorCode =
  | 'too-large'
  | 'not-xml'
  | 'external-entities'
  | 'wrong-root'
  | 'missing-field'
  | 'invalid-value'
  | 'unsupported'
  | 'invalid-input'
  | 'schema-missing'
  | 'schema-error';

const statusOf: Record<B2mmlErrorCode, number> = {
  'too-large': 413,
  'not-xml': 400,
  'external-entities': 400,
  'wrong-root': 422,
  'missing-field': 422,
  'invalid-value': 422,
  unsupported: 422,
  'invalid-input': 500,
  'schema-missing': 500,
  'schema-error': 500,
};

export class B2mmlError extends Error {
  readonly status: number;
  constructor(
    readonly code: B2mmlErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'B2mmlError';
    this.status = statusOf[code];
  }
}

export const isB2mmlError = (e: unknown): e is B2mmlError => e instanceof B2mmlError;
