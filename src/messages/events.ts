import { z } from 'zod';

/**
 * Events inside one side (DESIGN.md convention 3: `<module>.<thing>.<past-tense>`), as opposed to
 * the ISA-95 messages between ERP and MES in catalogue.ts. Nobody consumes them as commands; the
 * live stream, the cockpit and webhooks read them. Each has one schema, like the messages.
 */
export const EquipmentStateChanged = z.object({
  workCenter: z.string(),
  plant: z.string(),
  state: z.enum(['running', 'idle', 'down']),
  reason: z.string().nullable(),
  at: z.string(),
});

export const AlertRaised = z.object({
  id: z.number().int(),
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  ref: z.string(),
  message: z.string(),
  messageKey: z.string().nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  role: z.string(),
  plant: z.string().optional(),
  correlationId: z.string().nullable(),
});

export const DeadLetterReplayed = z.object({ id: z.number().int(), messageId: z.string() });

/** A machine account's key was revoked: whoever holds a session of it (MQTT, a live stream) ends it. */
export const ApiKeyRevoked = z.object({ id: z.string(), at: z.string().nullable() });

export const eventSchemas = {
  'mes.equipment.state-changed': EquipmentStateChanged,
  'platform.alert.raised': AlertRaised,
  'integration.dead-letter.replayed': DeadLetterReplayed,
  'platform.api-key.revoked': ApiKeyRevoked,
} as const;

