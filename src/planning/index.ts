/**
 * Planning: pure computation, no IO (DESIGN.md). The finite-capacity scheduler (job shop and
 * real work orders on calendars) and MRP. The planning service that feeds it from the ERP and
 * MES lives in src/integration/planning.
 */
export * from './scheduler/index.ts';
export * from './calendar.ts';
export * from './mrp/index.ts';
