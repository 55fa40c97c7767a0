/**
 * B2MML V0701 codec (ISA-95 Part 5): pure builders and a safe reader for the documents Closeloop
 * exchanges with outside ERPs/MESs, and XSD validation against the MESA schemas.
 */
export { B2mmlError } from './errors.ts';
export type * from './types.ts';
export { buildOperationsSchedule } from './operations-schedule.ts';
export { buildOperationsPerformance } from './operations-performance.ts';
export { buildAcknowledgeOperationsSchedule, buildRespondOperationsSchedule } from './acknowledge.ts';
export { parseOperationsSchedule } from './parse-schedule.ts';
export { validateB2mml, loadB2mmlSchema, b2mmlSchemaDir } from './schema-validator.ts';
