import { B2mmlError } from './index.ts';

/** The B2mmlError code a parse throws (undefined when it throws nothing), for the B2MML tests. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof B2mmlError) return e.code;
    throw e;
  }
  return undefined;
}
