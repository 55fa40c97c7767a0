/**
 * B2MML V0701 codec (ISA-95 Part 5): pure builders and a safe reader for the documents Closeloop
 * exchanges with outside ERPs/MESs, and XSD validation against the MESA schemas.
 */
export { B2mmlError, isB2mmlError, type B2mmlErrorCode } from './errors.ts';
export type * from './types.ts';
export { buildOperationsSchedule, segmentRequirementId, DUE_DATE_PROPERTY } from './operations-schedule.ts';
export { buildOperationsPerformance, SCRAP_KEY, GOOD_KEY, SCRAP_REASON_PROPERTY } from './operations-performance.ts';
export { buildAcknowledgeOperationsSchedule, buildRespondOperationsSchedule } from './acknowledge.ts';
export { parseOperationsSchedule, type ParseOptions } from './parse-schedule.ts';
export { DEFAULT_MAX_BYTES } from './inbound-guard.ts';
export { validateB2mml, loadB2mmlSchema, b2mmlSchemaDir } from './schema-validator.ts';
export { B2MML_NS, B2MML_RELEASE } from './xml-writer.ts';
