import { z } from 'zod';

/** A system's code as it appears in URLs: letters, digits, `-` and `_`. */
export const SystemCode = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ (at most 64)');

export const SystemRole = z.enum(['erp', 'mes']);
export type SystemRole = z.infer<typeof SystemRole>;

export const SystemWebhook = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  secret: z.string().min(16, 'at least 16 characters').max(200),
});

/** `PUT /api/v1/integration/systems/:code`: create or update. */
export const SystemInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: SystemRole,
  webhook: SystemWebhook.nullish(),
  /** Plants this outside ERP runs (role `erp` only): the built-in ERP neither books nor alerts for their work. */
  plants: z.array(z.string().trim().min(1).max(64)).max(100).optional(),
});
export type SystemInput = z.infer<typeof SystemInput>;

/** What the API shows of a system: the webhook's secret is never shown again. */
export interface SystemView {
  code: string;
  name: string;
  role: SystemRole;
  webhook: { url: string } | null;
  plants: string[];
  createdAt: string;
  updatedAt: string;
}
