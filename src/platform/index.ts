/**
 * The platform door. Modules may also import its sub-folders directly (kernel, db, http, bus,
 * auth, alerts): the platform is the shared kernel every module stands on (ADR 0001).
 */
export * from './kernel/index.ts';
export * from './db/index.ts';
export * from './bus/index.ts';
export * from './http/index.ts';
export * from './auth/index.ts';
export * from './alerts/index.ts';
export * from './config.ts';
export * from './module.ts';
export * from './events.ts';
export { platformRoutes } from './routes.ts';
export { workerFile } from './worker-file.ts';
