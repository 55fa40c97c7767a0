import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** A setting that cannot be used stops the start with one line naming it, and exit code 2. */
function serveWith(env: Record<string, string>): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, ['bin/closeloop.js', 'serve'], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, PORT: '0', MQTT_PORT: '0', ...env }, timeout: 30_000 });
    return { status: 0, stderr: '' };
  } catch (e: any) {
    return { status: e.status, stderr: String(e.stderr) };
  }
}

describe('closeloop serve with a bad setting', () => {
  it('refuses a number that is not one, and a daily reschedule time that is not HH:MM, naming the variable', () => {
    const seconds = serveWith({ CLOSELOOP_REPLAN_SECONDS: 'abc' });
    expect(seconds.status).toBe(2);
    expect(seconds.stderr.trim()).toBe('closeloop: cannot start: CLOSELOOP_REPLAN_SECONDS: expected a number, not "abc"');
    const daily = serveWith({ CLOSELOOP_RESCHEDULE_AT: '25:00' });
    expect(daily.status).toBe(2);
    expect(daily.stderr.trim()).toBe('closeloop: cannot start: CLOSELOOP_RESCHEDULE_AT: expected a plant time HH:MM (00:00–23:59) or off, not "25:00"');
  });
});
