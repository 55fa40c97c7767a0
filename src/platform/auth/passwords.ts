import { hash, verify } from '@node-rs/argon2';
import { Semaphore } from './throttle.ts';

/**
 * argon2id with the library's defaults (19 MiB, 2 passes): ≈20 ms a hash on this machine kind.
 * At most 4 run at once and 64 wait; beyond, 503 with Retry-After (memory stays bounded).
 */
export const hashing = new Semaphore(4, 64);
export const hashPassword = (password: string) => hashing.run(() => hash(password));
export const verifyPassword = (stored: string, password: string) => hashing.run(() => verify(stored, password).catch(() => false));
