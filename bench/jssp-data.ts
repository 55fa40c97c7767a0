/**
 * Where the job-shop benchmark instances live (one place: tests, the CLI test and bench/jssp.ts read
 * them through here). JSSP_DATA overrides it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IN_REPO = fileURLToPath(new URL('./data/jssp', import.meta.url));
/** Until the instances are copied into the repo (bench/data/jssp), the development machines' copy. */
const SHARED = '/work/shared/data/jssp';

export function jsspDataDir(): string {
  if (process.env.JSSP_DATA) return resolve(process.env.JSSP_DATA);
  return existsSync(IN_REPO) ? IN_REPO : SHARED;
}

/** The text of instance `name` (e.g. "ft06"). */
export function jsspInstanceText(name: string): string {
  return readFileSync(jsspInstancePath(name), 'utf8');
}

export function jsspInstancePath(name: string): string {
  return join(jsspDataDir(), `${name}.txt`);
}
