import { describe, expect, it } from 'vitest';
import { jsspInstanceText } from '../../../../bench/jssp-data.ts';
import { checkSchedule } from './check.ts';
import { JobShopFormatError, parseJobShop } from './parse.ts';
import { solveJobShop } from './solve.ts';

function load(name: string) {
  return parseJobShop(jsspInstanceText(name));
}

describe('parseJobShop', () => {
  it('reads the standard format with blank lines and extra whitespace', () => {
    const instance = parseJobShop('\n 2   2 \n\n0 3  1 2\n  1 4 0 1  \n\n');
    expect(instance).toEqual({
      machines: 2,
      jobs: [
        [
          { machine: 0, duration: 3 },
          { machine: 1, duration: 2 },
        ],
        [
          { machine: 1, duration: 4 },
          { machine: 0, duration: 1 },
        ],
      ],
    });
  });

  it('rejects bad files with a clear message', () => {
    expect(() => parseJobShop('')).toThrow(JobShopFormatError);
    expect(() => parseJobShop('2 2\n0 1 1 1\n')).toThrow(/expected 2 job lines/);
    expect(() => parseJobShop('1 2\n0 1 1\n')).toThrow(/odd number/);
    expect(() => parseJobShop('1 2\n0 1 5 1\n')).toThrow(/out of range/);
    expect(() => parseJobShop('1 2\n0 x 1 1\n')).toThrow(/non-negative integer/);
  });
});

describe('solveJobShop', () => {
  it('solves ft06 to its optimum 55 within a 2 s limit', () => {
    const instance = load('ft06');
    const result = solveJobShop(instance, { timeLimitMs: 2000, seed: 7, targetMakespan: 55 });
    expect(result.makespan).toBe(55);
    expect(checkSchedule(instance, result.starts, result.makespan)).toEqual([]);
  });

  it.each(['ft10', 'ft20', 'la01', 'la16', 'la21', 'la31', 'ta01'])('produces a feasible schedule for %s', (name) => {
    const instance = load(name);
    const result = solveJobShop(instance, { timeLimitMs: 250, seed: 1 });
    expect(checkSchedule(instance, result.starts, result.makespan)).toEqual([]);
    expect(result.makespan).toBeGreaterThanOrEqual(result.lowerBound);
  });

  it('is deterministic for a seed under an iteration limit', () => {
    const instance = load('la21');
    const opts = { timeLimitMs: 60_000, maxIterations: 4000, seed: 42 };
    const a = solveJobShop(instance, opts);
    const b = solveJobShop(instance, opts);
    expect(b.makespan).toBe(a.makespan);
    expect(b.starts).toEqual(a.starts);
    expect(a.iterations).toBe(4000);
  });

  it('improves on the constructions and reports progress', () => {
    const instance = load('ft10');
    const seen: number[] = [];
    const result = solveJobShop(instance, { timeLimitMs: 400, seed: 3, onProgress: (best) => seen.push(best) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBe(result.makespan);
    expect(result.makespan).toBeLessThan(seen[0]);
    expect(result.makespan).toBeLessThan(1000); // dispatching rules land 15–30 % above 930
  });

  it('handles jobs of different lengths, recirculation and zero durations', () => {
    const instance = {
      machines: 3,
      jobs: [
        [
          { machine: 0, duration: 2 },
          { machine: 0, duration: 3 },
          { machine: 2, duration: 0 },
        ],
        [{ machine: 1, duration: 4 }],
        [
          { machine: 1, duration: 1 },
          { machine: 0, duration: 2 },
          { machine: 1, duration: 2 },
        ],
        [],
      ],
    };
    const result = solveJobShop(instance, { timeLimitMs: 100, maxIterations: 500 });
    expect(checkSchedule(instance, result.starts, result.makespan)).toEqual([]);
    expect(result.makespan).toBe(7);
  });
});
