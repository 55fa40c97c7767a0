/**
 * Refusals that say when to come back: the HTTP layer answers `status` (429 or 503) with
 * `Retry-After`. A leaf (no imports): both auth and http use it.
 */
export class Throttled extends Error {
  constructor(
    readonly status: 429 | 503,
    readonly code: 'too_many_requests' | 'busy',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'Throttled';
  }
}

/**
 * A counting semaphore with a bounded queue: at most `limit` holders, at most `queueMax` waiting;
 * past that, `acquire` throws `Throttled` 503 at once (argon2 hashing: 19 MiB and ~20 ms each, so
 * a burst of sign-ins must neither exhaust memory nor starve the event loop's other work).
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    readonly limit: number,
    readonly queueMax: number,
  ) {}

  get inUse() {
    return this.active;
  }
  get queued() {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      if (this.waiting.length >= this.queueMax) throw new Throttled(503, 'busy', 'too many sign-ins at once; try again shortly', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next waiter
      else this.active--;
    }
  }
}
