import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsspInstancePath } from '../bench/jssp-data.ts';
import { checkSchedule, parseJobShop } from '../src/planning/index.ts';

const ft06 = jsspInstancePath('ft06');

describe('closeloop jssp', () => {
  it('prints one JSON object with the makespan and the start times of a feasible optimal schedule', () => {
    const out = execFileSync(process.execPath, ['bin/closeloop.js', 'jssp', ft06, '--time-limit', '3'], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(result.makespan).toBe(55);
    const instance = parseJobShop(readFileSync(ft06, 'utf8'));
    expect(result.starts).toHaveLength(6);
    expect(checkSchedule(instance, result.starts, result.makespan)).toEqual([]);
  });

  it('fails with a clear message for a file that is not an instance', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['bin/closeloop.js', 'jssp', 'package.json'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e: any) {
      status = e.status;
      stderr = String(e.stderr);
    }
    expect(status).toBe(1);
    expect(stderr.length).toBeGreaterThan(0);
  });
});
