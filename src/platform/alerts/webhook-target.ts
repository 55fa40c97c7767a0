import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { unprocessable } from '../kernel/index.ts';

/**
 * Where a webhook may not point: link-local addresses (169.254.0.0/16, where clouds serve instance
 * metadata and credentials; fe80::/10), the unspecified addresses (0.0.0.0/8, ::), and the
 * metadata services' names. Loopback and private networks stay allowed (a receiver on the same
 * host or the plant's network is normal).
 */
const BLOCKED_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'metadata.azure.com']);

export function blockedAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const kind = isIP(ip);
  if (kind === 4) {
    const [a, b] = ip.split('.').map(Number);
    return a === 0 || (a === 169 && b === 254);
  }
  if (kind === 6) {
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
    if (mapped) return blockedAddress(mapped[1]);
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
    if (hex) return blockedAddress([parseInt(hex[1], 16) >> 8, parseInt(hex[1], 16) & 255, parseInt(hex[2], 16) >> 8, parseInt(hex[2], 16) & 255].join('.'));
    if (/^(0{0,4}:){1,7}:?0{0,4}$/.test(ip) || ip === '::') return true; // :: (unspecified)
    const first = parseInt(ip.split(':')[0] || '0', 16);
    return (first & 0xffc0) === 0xfe80; // fe80::/10
  }
  return false;
}

/** Refuses (422) a webhook URL whose host is a forbidden address or name, as written. */
export function assertWebhookTarget(url: string): void {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    throw unprocessable('the webhook URL is not a URL', { url });
  }
  if (BLOCKED_NAMES.has(host) || blockedAddress(host))
    throw unprocessable(`a webhook may not target ${host}: link-local, metadata and unspecified addresses are refused`, { url, reason: 'forbidden_target' });
}

/** At delivery: the name may resolve to a forbidden address since it was registered. Throws with a reason. */
export async function checkResolvedTarget(url: string): Promise<void> {
  assertWebhookTarget(url);
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return;
  const addresses = await lookup(host, { all: true });
  const bad = addresses.find((a) => blockedAddress(a.address));
  if (bad) throw new Error(`forbidden target: ${host} resolves to ${bad.address}`);
}
