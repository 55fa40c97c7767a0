/**
 * Runs a mapping's JSONata expression (docs.jsonata.org) with bounds: the expression's length,
 * the input's and the output's size, an evaluation time limit, a recursion depth and a sequence
 * length (JSONata's own guardrails, checked at every evaluation step). JSONata 2 evaluates with
 * promises that never wait on I/O, so a long evaluation would starve the event loop: a step hook
 * hands the loop back every few milliseconds, and the server keeps answering while a runaway
 * expression runs out its time.
 */
import jsonata from 'jsonata';
import { AppError, unprocessable } from '../../platform/index.ts';

export const MAPPING_LIMITS = {
  expressionChars: 20_000,
  inputBytes: 1024 * 1024,
  outputBytes: 2 * 1024 * 1024,
  timeoutMs: 1000,
  stackDepth: 400,
  sequenceLength: 100_000,
} as const;

interface JsonataFailure {
  code?: string;
  message?: string;
  position?: number;
  token?: string;
}

const failure = (e: unknown): JsonataFailure => (typeof e === 'object' && e !== null ? (e as JsonataFailure) : { message: String(e) });

/** Compiles an expression; a syntax error is 422 with JSONata's message, code and position. */
export function compileMapping(expression: string): jsonata.Expression {
  if (expression.length > MAPPING_LIMITS.expressionChars) throw unprocessable(`the expression is longer than ${MAPPING_LIMITS.expressionChars} characters`);
  try {
    return jsonata(expression, { timeout: MAPPING_LIMITS.timeoutMs, stack: MAPPING_LIMITS.stackDepth, sequence: MAPPING_LIMITS.sequenceLength });
  } catch (e) {
    const f = failure(e);
    throw new AppError('unprocessable', `JSONata syntax error: ${f.message ?? 'cannot compile'}`, {
      reason: 'mapping_syntax',
      jsonata: { code: f.code ?? null, position: f.position ?? null, token: f.token ?? null },
      position: f.position ?? null,
    });
  }
}

const LIMIT_CODES = new Set(['D1011', 'D1012', 'D2015']);
const YIELD_EVERY_MS = 10;

/** Hands the event loop back every few milliseconds of evaluation (shared by every evaluation in the process). */
let lastYield = Date.now();
let steps = 0;
const onStep = async () => {
  if (++steps % 256 !== 0 || Date.now() - lastYield < YIELD_EVERY_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield = Date.now();
};

/** Compiled expressions by their text (compiling costs about twice an evaluation); the oldest go first. */
const compiled = new Map<string, jsonata.Expression>();
const CACHE_SIZE = 200;

function compiledFor(expression: string): jsonata.Expression {
  const hit = compiled.get(expression);
  if (hit) return hit;
  const expr = compileMapping(expression);
  (expr.assign as (name: string | symbol, value: unknown) => void)(Symbol.for('jsonata.__evaluate_entry'), onStep);
  if (compiled.size >= CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  compiled.set(expression, expr);
  return expr;
}

/**
 * Evaluates an expression on an outside system's JSON. Any failure — a runtime error, the time,
 * depth or sequence limit, an output too large or not JSON — is 422 with JSONata's message,
 * code and position; nothing here can hang the process.
 */
export async function runMapping(expression: string, input: unknown): Promise<unknown> {
  const inputBytes = Buffer.byteLength(JSON.stringify(input) ?? '', 'utf8');
  if (inputBytes > MAPPING_LIMITS.inputBytes) throw new AppError('payload_too_large', `the input is larger than ${MAPPING_LIMITS.inputBytes} bytes`);
  const expr = compiledFor(expression);
  let out: unknown;
  try {
    out = await expr.evaluate(input);
  } catch (e) {
    const f = failure(e);
    const limit = f.code !== undefined && LIMIT_CODES.has(f.code);
    throw new AppError('unprocessable', `${limit ? 'the mapping ran past its limit' : 'the mapping failed'}: ${f.message ?? 'error'}`, {
      reason: limit ? 'mapping_limit' : 'mapping_error',
      jsonata: { code: f.code ?? null, position: f.position ?? null, token: f.token ?? null },
      position: f.position ?? null,
    });
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(out);
  } catch {
    throw unprocessable('the mapping output is not JSON', { reason: 'mapping_output' });
  }
  if (text === undefined) return null;
  if (Buffer.byteLength(text, 'utf8') > MAPPING_LIMITS.outputBytes)
    throw unprocessable(`the mapping output is larger than ${MAPPING_LIMITS.outputBytes} bytes`, { reason: 'mapping_limit' });
  return JSON.parse(text);
}
