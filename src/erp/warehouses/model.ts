import { z } from 'zod';

export const DEFAULT_WAREHOUSE = 'MAIN';
export const DEFAULT_PLANT = 'main';

const code = z.string().trim().min(1).max(64);

export const NewWarehouse = z.strictObject({ code, name: z.string().trim().min(1).max(200), plant: code.optional() });
export type NewWarehouse = z.infer<typeof NewWarehouse>;

export interface Warehouse {
  code: string;
  name: string;
  plant: string;
}
