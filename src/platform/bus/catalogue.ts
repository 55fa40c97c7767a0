import type { z } from 'zod';
import type { eventSchemas, messageSchemas } from '../../messages/index.ts';

/**
 * What a unit of work may emit, by type: the ISA-95 messages between ERP and MES and the events
 * inside a side, each with the payload its schema accepts (`z.input`: defaults may be left out).
 * A type not in the catalogue, or a payload of the wrong shape, is a compile error.
 */
type Schemas = typeof messageSchemas & typeof eventSchemas;
export type EmittedType = keyof Schemas;
export type EmittedPayload<T extends EmittedType> = z.input<Schemas[T]>;
