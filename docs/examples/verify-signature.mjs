// Checks X-Closeloop-Signature (t=UNIX_SECONDS,v1=HEX) over the raw request body before trusting it.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifySignature(secret, rawBody, header, toleranceSeconds = 300) {
  const { t, v1 } = Object.fromEntries(String(header ?? '').split(',').map((part) => part.split('=', 2)));
  if (!t || !v1 || Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false; // stale: a replay
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}
