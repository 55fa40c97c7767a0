import { collectModule } from './collect/index.ts';
import { cockpitModule } from './cockpit/index.ts';
import { erpModule } from './erp/index.ts';
import { integrationModule } from './integration/index.ts';
import { mesModule } from './mes/index.ts';
import type { ModuleDefinition } from './platform/index.ts';

/**
 * Every module of the product, in the order their migrations run. Each subscribes its own
 * handlers to the message types of `src/messages` it consumes: that is the wiring of the loop.
 */
export const modules: ModuleDefinition[] = [erpModule, mesModule, integrationModule, collectModule, cockpitModule];
