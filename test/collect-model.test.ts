import { describe, expect, it } from 'vitest';
import { parseTopic, readPayload, type Envelope } from '../src/collect/model.ts';

/** The pure first step of ingest: topics, JSON and one schema per kind. */
const env = (kind: string): Envelope => ({ source: 'mqtt', plant: 'main', workCenter: 'WC', kind, receivedAt: Date.parse('2026-01-01T00:00:00Z') });
const read = (kind: string, payload: unknown) => readPayload(env(kind), typeof payload === 'string' ? payload : JSON.stringify(payload));

describe('shop-floor topic model', () => {
  it('reads closeloop/v1/{plant}/{workCenter}/{kind} and nothing else', () => {
    expect(parseTopic('closeloop/v1/east/LACE-1/count')).toEqual({ plant: 'east', workCenter: 'LACE-1', kind: 'count' });
    expect(parseTopic('closeloop/v1/east/LACE-1')).toBeNull();
    expect(parseTopic('closeloop/v1/east//count')).toBeNull();
    expect(parseTopic('closeloop/v1/a/b/c/d')).toBeNull();
    expect(parseTopic('other/v1/a/b/c')).toBeNull();
  });

  it('takes telemetry numbers with an optional instant, and the arrival time without one', () => {
    expect(read('telemetry', { powerKw: 4.5, temperatureC: -3 })).toMatchObject({ ok: true, values: { powerKw: 4.5, temperatureC: -3 }, at: new Date('2026-01-01T00:00:00Z') });
    expect(read('telemetry', { at: '2026-02-03T04:05:06.789+08:00', x: 1 })).toMatchObject({ ok: true, at: new Date('2026-02-02T20:05:06.789Z') });
    expect(read('telemetry', { at: 'yesterday', x: 1 })).toMatchObject({ ok: false, reason: 'at: must be an ISO-8601 instant' });
    expect(read('telemetry', { at: '2026-13-45T99:99:99Z', x: 1 })).toMatchObject({ ok: false });
    expect(read('telemetry', {})).toMatchObject({ ok: false, reason: 'telemetry needs at least one number' });
    expect(read('telemetry', { load: null })).toMatchObject({ ok: false, reason: 'load: must be a finite number' });
    expect(read('telemetry', '{"x": 1e999}')).toMatchObject({ ok: false });
  });

  it('checks counts and states strictly', () => {
    expect(read('count', { good: 3 })).toMatchObject({ ok: true, good: 3, scrap: 0 });
    expect(read('count', { good: 0, scrap: 0 })).toMatchObject({ ok: false, reason: 'good + scrap must be above 0' });
    expect(read('count', { good: -1 })).toMatchObject({ ok: false });
    expect(read('count', { good: 1, bad: 2 })).toMatchObject({ ok: false });
    expect(read('state', { state: 'down', reason: 'jam' })).toMatchObject({ ok: true, state: 'down', reason: 'jam' });
    expect(read('state', { state: 'sleeping' })).toMatchObject({ ok: false });
  });

  it('refuses what is not a JSON object, and kinds it does not know', () => {
    expect(read('count', '{"good":')).toMatchObject({ ok: false, reason: 'payload is not JSON', payload: { raw: '{"good":' } });
    expect(read('count', '[1]')).toMatchObject({ ok: false, reason: 'payload must be a JSON object' });
    expect(read('count', '"5"')).toMatchObject({ ok: false, reason: 'payload must be a JSON object' });
    expect(read('smell', { ppm: 1 })).toMatchObject({ ok: false, reason: expect.stringMatching(/^unknown kind "smell"/) });
  });
});
