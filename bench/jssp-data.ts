/**
 * Where the job-shop benchmark instances live (one place: tests, the CLI test and bench/jssp.ts read
 * them through here). JSSP_DATA overrides it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const IN_REPO = fileURLToPath(new URL('./data/jssp', import.meta.url));

/** bench/data/jssp (the instances ship with the project, CC BY-SA: see its README), or JSSP_DATA. */
export function jsspDataDir(): string {
  return process.env.JSSP_DATA ? resolve(process.env.JSSP_DATA) : IN_REPO;
}

/** The text of instance `name` (e.g. "ft06"). */
export function jsspInstanceText(name: string): string {
  return readFileSync(jsspInstancePath(name), 'utf8');
}

export function jsspInstancePath(name: string): string {
  return join(jsspDataDir(), `${name}.txt`);
}
