import { z } from 'zod';
import { AppError, badRequest, type ModuleDeps, type Router } from '../../platform/index.ts';
import { readCsv, readXlsx } from '../../platform/spreadsheet/index.ts';
import { CODE_MAP_LIMITS, CodeKind } from './code-maps-model.ts';
import { getCodeMap, putCodeMap } from './code-maps.ts';
import { dryRun, receiveInbound } from './inbound.ts';
import { compileMapping } from './jsonata-run.ts';
import { MappingInput, MappingName } from './mappings-model.ts';
import { mappingsOf, requireMapping, upsertMapping } from './mappings-store.ts';
import { SystemCode } from './model.ts';
import { requireSystem } from './service.ts';

const System = z.object({ code: SystemCode });
const KindParams = z.object({ code: SystemCode, kind: CodeKind });
const MappingParams = z.object({ code: SystemCode, name: MappingName });

const tooLarge = () => new AppError('payload_too_large', `a code map is at most ${CODE_MAP_LIMITS.bytes} bytes`);

/** Code maps, JSONata mappings and the inbound endpoint of an outside system (CONTRACT: "Outside systems"). */
export function mappingRoutes(router: Router, deps: ModuleDeps) {
  router.route({
    method: 'PUT',
    url: '/api/v1/integration/systems/:code/code-maps/:kind',
    permission: 'integration.write',
    summary: 'Replace a kind of code map: JSON [{external,internal,factor?}] or a CSV/xlsx file with the header external,internal,factor (all or nothing)',
    params: KindParams,
    rawBody: true,
    handler: async ({ uow, params, request }) => {
      const body: unknown = request.body;
      if (Buffer.isBuffer(body)) {
        if (body.length > CODE_MAP_LIMITS.bytes) throw tooLarge();
        const sheet = body.subarray(0, 2).toString() === 'PK' ? await readXlsx(body) : readCsv(body.toString('utf8'));
        return putCodeMap(uow, params.code, params.kind, { sheet });
      }
      if (typeof body === 'string') {
        if (Buffer.byteLength(body, 'utf8') > CODE_MAP_LIMITS.bytes) throw tooLarge();
        return putCodeMap(uow, params.code, params.kind, { sheet: readCsv(body) });
      }
      if (body === undefined || body === null) throw badRequest('send [{external, internal, factor?}] as JSON, or a CSV/xlsx file');
      if (Buffer.byteLength(JSON.stringify(body), 'utf8') > CODE_MAP_LIMITS.bytes) throw tooLarge();
      return putCodeMap(uow, params.code, params.kind, { json: body });
    },
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems/:code/code-maps/:kind',
    permission: 'integration.read',
    summary: 'A kind of code map of an outside system',
    params: KindParams,
    handler: async ({ q, params }) => getCodeMap(q, params.code, params.kind),
  });
  router.route({
    method: 'PUT',
    url: '/api/v1/integration/systems/:code/mappings/:name',
    permission: 'integration.write',
    summary: 'Create or replace a JSONata mapping to a canonical message (a syntax error is 422 with its position)',
    params: MappingParams,
    body: MappingInput,
    handler: async ({ uow, params, body }) => {
      await requireSystem(uow, params.code);
      compileMapping(body.expression);
      const view = await upsertMapping(uow, params.code, params.name, body);
      uow.audit({ action: 'put', entity: 'integration_mapping', ref: `${params.code}/${params.name}`, after: { message: body.message, expression: body.expression } });
      return view;
    },
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems/:code/mappings',
    permission: 'integration.read',
    summary: "An outside system's mappings",
    params: System,
    handler: async ({ q, params }) => {
      await requireSystem(q, params.code);
      return mappingsOf(q, params.code);
    },
  });
  router.route({
    method: 'GET',
    url: '/api/v1/integration/systems/:code/mappings/:name',
    permission: 'integration.read',
    summary: 'One mapping',
    params: MappingParams,
    handler: async ({ q, params }) => {
      await requireSystem(q, params.code);
      return requireMapping(q, params.code, params.name);
    },
  });
  router.route({
    method: 'POST',
    url: '/api/v1/integration/systems/:code/mappings/:name/test',
    permission: 'integration.write',
    summary: 'Dry run of a mapping on a sample: its output, every unmapped code and every error; changes nothing',
    params: MappingParams,
    body: z.strictObject({ sample: z.unknown() }),
    handler: async ({ uow, params, body }) => dryRun(uow, params.code, params.name, body.sample),
  });
  router.route({
    method: 'POST',
    url: '/api/v1/integration/systems/:code/inbound/:name',
    permission: 'integration.write',
    summary: "An outside system's own JSON through a mapping: work orders, changes, cancellations or reports (202)",
    params: MappingParams,
    status: 202,
    handler: async ({ uow, params, body }) => receiveInbound(uow, deps, params.code, params.name, body),
  });
}
