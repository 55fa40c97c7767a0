import { describe, expect, it } from 'vitest';
import { checkSchedule } from './check.ts';
import type { JobShopInstance } from './types.ts';

const instance: JobShopInstance = {
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
};

describe('checkSchedule', () => {
  it('accepts a feasible schedule', () => {
    expect(checkSchedule(instance, [[0, 4], [0, 4]], 6)).toEqual([]);
  });

  it('reports two operations overlapping on a machine', () => {
    const violations = checkSchedule(instance, [[0, 3], [0, 4]]);
    expect(violations.some((v) => v.includes('machine 1') && v.includes('overlaps'))).toBe(true);
  });

  it('reports an overlap hidden behind a long operation', () => {
    const long: JobShopInstance = {
      machines: 1,
      jobs: [[{ machine: 0, duration: 10 }], [{ machine: 0, duration: 1 }], [{ machine: 0, duration: 1 }]],
    };
    expect(checkSchedule(long, [[0], [2], [5]]).length).toBe(2);
  });

  it('reports an operation starting before its job predecessor ends', () => {
    const violations = checkSchedule(instance, [[0, 2], [0, 4]]);
    expect(violations.some((v) => v.includes('job 0 op 1') && v.includes('before its predecessor'))).toBe(true);
  });

  it('reports missing, negative or non-numeric start times and a wrong makespan', () => {
    expect(checkSchedule(instance, [[0, 4]])).toHaveLength(1);
    expect(checkSchedule(instance, [[0], [0, 4]])[0]).toContain('expected 2 start times');
    expect(checkSchedule(instance, [[-1, 4], [0, 4]])[0]).toContain('invalid start');
    expect(checkSchedule(instance, [[0, 4], [0, 4]], 7)[0]).toContain('makespan');
  });
});
