import type { JobShopInstance } from './types.ts';

/** Thrown for a job-shop file that does not follow the standard text format. */
export class JobShopFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobShopFormatError';
  }
}

function toInt(token: string, what: string, line: number): number {
  if (!/^\d+$/.test(token)) throw new JobShopFormatError(`line ${line}: ${what} must be a non-negative integer, got "${token}"`);
  return Number(token);
}

/**
 * Parses the standard job-shop text format: first line `jobs machines`, then one line per job with
 * `machine duration` pairs (machines numbered from 0). Blank lines, extra whitespace and `#` comment
 * lines are tolerated.
 */
export function parseJobShop(text: string): JobShopInstance {
  const lines: { no: number; tokens: string[] }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    lines.push({ no: i + 1, tokens: trimmed.split(/\s+/) });
  });
  if (lines.length === 0) throw new JobShopFormatError('empty file: expected a first line "jobs machines"');
  const head = lines[0];
  if (head.tokens.length !== 2) throw new JobShopFormatError(`line ${head.no}: expected "jobs machines", got "${head.tokens.join(' ')}"`);
  const jobCount = toInt(head.tokens[0], 'job count', head.no);
  const machines = toInt(head.tokens[1], 'machine count', head.no);
  if (jobCount < 1 || machines < 1) throw new JobShopFormatError(`line ${head.no}: jobs and machines must be at least 1`);
  const body = lines.slice(1);
  if (body.length !== jobCount) {
    throw new JobShopFormatError(`expected ${jobCount} job lines, found ${body.length}`);
  }
  const jobs = body.map(({ no, tokens }) => {
    if (tokens.length % 2 !== 0) throw new JobShopFormatError(`line ${no}: expected "machine duration" pairs, got an odd number of values`);
    if (tokens.length === 0) throw new JobShopFormatError(`line ${no}: a job needs at least one operation`);
    const ops = [];
    for (let i = 0; i < tokens.length; i += 2) {
      const machine = toInt(tokens[i], 'machine', no);
      const duration = toInt(tokens[i + 1], 'duration', no);
      if (machine >= machines) throw new JobShopFormatError(`line ${no}: machine ${machine} is out of range 0..${machines - 1}`);
      ops.push({ machine, duration });
    }
    return ops;
  });
  return { jobs, machines };
}
