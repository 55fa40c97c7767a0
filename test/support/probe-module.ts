import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ModuleDefinition } from '../../src/platform/index.ts';

/**
 * A tiny module used by the foundation tests: writes a row and emits a message; its handler
 * records an effect, or fails on demand.
 */
export const probeFailures = { remaining: 0, always: new Set<string>() };

export const probeModule: ModuleDefinition = {
  name: 'probe',
  migrationsDir: fileURLToPath(new URL('./probe-migrations', import.meta.url)),
  routes(router) {
    router.route({
      method: 'POST',
      url: '/api/v1/probe/things',
      permission: 'erp.master.write',
      summary: 'probe: create a thing',
      body: z.strictObject({ id: z.string().min(1), qty: z.number().int(), failAfterWrite: z.boolean().optional() }),
      status: 201,
      handler: async ({ body, uow }) => {
        await uow.query('insert into probe.things (id, qty) values ($1, $2)', [body.id, body.qty]);
        uow.emitRaw('probe.thing.created', { id: body.id }, { correlationId: body.id });
        uow.audit({ action: 'create', entity: 'thing', ref: body.id, after: { qty: body.qty } });
        if (body.failAfterWrite) throw new Error('boom after write');
        return { id: body.id, qty: body.qty };
      },
    });
  },
  subscribe(subs) {
    subs.subscribe('probe', 'probe.effects', ['probe.thing.created'], async (msg, uow) => {
      const payload = msg.payload as { id: string };
      if (probeFailures.always.has(payload.id)) throw new Error(`refused ${payload.id}`);
      if (probeFailures.remaining > 0) {
        probeFailures.remaining--;
        throw new Error('transient failure');
      }
      await uow.query('insert into probe.effects (message_id, thing) values ($1, $2)', [msg.id, payload.id]);
    });
  },
};
