import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('has the daily reschedule off unless configured, and refuses a time that is not HH:MM, naming the setting', () => {
    expect(loadConfig({}).rescheduleDailyAt).toBeNull();
    expect(loadConfig({ CLOSELOOP_RESCHEDULE_AT: 'off' }).rescheduleDailyAt).toBeNull();
    expect(loadConfig({ CLOSELOOP_RESCHEDULE_AT: '02:30' })).toMatchObject({ rescheduleDailyAt: '02:30', rescheduleSeconds: 10 });
    for (const bad of ['24:00', '2:00', '02:60', 'two'])
      expect(() => loadConfig({ CLOSELOOP_RESCHEDULE_AT: bad })).toThrow(/CLOSELOOP_RESCHEDULE_AT: expected a plant time HH:MM/);
  });

  it('refuses a number that is not one, naming the variable', () => {
    expect(() => loadConfig({ CLOSELOOP_REPLAN_SECONDS: 'abc' })).toThrow('CLOSELOOP_REPLAN_SECONDS: expected a number, not "abc"');
    expect(loadConfig({ CLOSELOOP_REPLAN_SECONDS: '0.5' }).replanTimeLimitSeconds).toBe(0.5);
  });
});
