import type { ModuleDefinition } from './platform/index.ts';

/** Every module of the product, in the order their migrations run. */
export const modules: ModuleDefinition[] = [];
