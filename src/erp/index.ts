import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../platform/index.ts';

export const erpModule: ModuleDefinition = {
  name: 'erp',
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
};
