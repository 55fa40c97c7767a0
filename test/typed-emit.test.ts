import { describe, expect, it } from 'vitest';
import { eventSchemas, messageSchemas } from '../src/messages/index.ts';
import type { UnitOfWork } from '../src/platform/index.ts';

/**
 * `uow.emit` is checked by the compiler against the catalogue (src/messages): `npm test` type-checks
 * this file, and an `@ts-expect-error` that is not needed any more is itself an error.
 */
describe('emit is typed against the message catalogue', () => {
  it('refuses an unknown type and a wrong payload at compile time', () => {
    const emits = (uow: UnitOfWork) => {
      // @ts-expect-error: not a message or event of the catalogue
      uow.emit('NoSuchMessage', {});
      // @ts-expect-error: a lot code is a string, and the status is one of three
      uow.emit('SyncMaterialLot', { lot: 1, itemCode: 'RIM', status: 'lost' });
      // @ts-expect-error: an event's payload is checked too
      uow.emit('mes.equipment.state-changed', { workCenter: 'LACING' });
      uow.emit('SyncMaterialLot', { lot: 'L1', itemCode: 'RIM', status: 'hold' });
    };
    expect(emits).toBeTypeOf('function');
  });

  it('names every type once, messages and events apart', () => {
    const messages = Object.keys(messageSchemas);
    const events = Object.keys(eventSchemas);
    expect(events.filter((e) => messages.includes(e))).toEqual([]);
    for (const e of events) expect(e).toMatch(/^[a-z]+\.[a-z-]+\.[a-z-]+$/);
  });
});
