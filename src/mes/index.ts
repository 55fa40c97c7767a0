import { fileURLToPath } from 'node:url';
import type { ModuleDefinition } from '../platform/index.ts';

export const mesModule: ModuleDefinition = {
  name: 'mes',
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
};
