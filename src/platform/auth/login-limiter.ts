/**
 * Sign-in throttling by address, in memory, without a lock an outsider can trigger: an address
 * gets `free` failures within `windowMs`; after that each attempt must wait a delay that doubles
 * with every further failure (1 s, 2 s, 4 s … up to `maxDelayMs`), answered 429 with Retry-After.
 * The account is never locked: a correct password from another address still signs in.
 * Globally, when more than `globalMax` failures arrived in the last minute (a spray from many
 * addresses), an address with any recent failure is throttled from its first one on; addresses
 * without failures are not slowed.
 */
export class LoginLimiter {
  private readonly byAddress = new Map<string, number[]>();
  private recent: number[] = [];
  constructor(
    readonly free = 10,
    readonly windowMs = 15 * 60_000,
    readonly maxDelayMs = 15 * 60_000,
    readonly globalMax = 300,
  ) {}

  private failuresOf(ip: string, now: number) {
    return (this.byAddress.get(ip) ?? []).filter((t) => t > now - this.windowMs);
  }

  private underAttack(now: number) {
    this.recent = this.recent.filter((t) => t > now - 60_000);
    return this.recent.length > this.globalMax;
  }

  /** Milliseconds until the address may try again, or 0. */
  retryAfterMs(ip: string, now = Date.now()): number {
    const list = this.failuresOf(ip, now);
    const free = this.underAttack(now) ? 0 : this.free;
    if (!list.length || list.length < free) return 0;
    const delay = Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(30, list.length - Math.max(free, 1)));
    return Math.max(0, list[list.length - 1] + delay - now);
  }

  fail(ip: string, now = Date.now()) {
    const list = this.failuresOf(ip, now);
    list.push(now);
    this.byAddress.set(ip, list);
    this.recent.push(now);
    if (this.recent.length > 10 * this.globalMax) this.recent = this.recent.slice(-this.globalMax - 1);
    if (this.byAddress.size > 10_000) {
      for (const [key, ts] of this.byAddress) if (!ts.some((t) => t > now - this.windowMs)) this.byAddress.delete(key);
    }
  }
}
