/**
 * A background pass that runs when woken (after a commit) and otherwise every `pollMs`. By default
 * passes never overlap, and a wake during a pass runs another right after it. With `maxPasses` > 1
 * a wake during a pass starts another beside it (up to that many at once): for work whose claims
 * exclude each other (the feed's webhook dispatcher leases what it takes), so what arrives while a
 * slow pass is out does not wait for it. Wakes within one tick start one pass. Timers are unref'd,
 * so a loop never keeps the process alive. Used by the audit sealer, the outbox publisher and the
 * webhook dispatchers.
 */
export class WakeableLoop {
  private readonly running = new Set<Promise<void>>();
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly pollMs: () => number,
    private readonly onError: (e: unknown) => void,
    private readonly maxPasses = 1,
  ) {}

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the timer and waits for the passes under way. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all(this.running);
  }

  wake() {
    if (this.stopped) return;
    if (this.running.size >= this.maxPasses) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Runs a pass in `ms`, unless one is already set to run sooner. */
  private schedule(ms: number) {
    if (this.timer && this.timerDue <= Date.now() + ms) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped) return;
      if (this.running.size >= this.maxPasses) {
        this.again = true;
        return;
      }
      this.run();
    }, ms);
    this.timer.unref();
  }

  private run() {
    const p: Promise<void> = this.pass()
      .then(() => undefined, this.onError)
      .finally(() => {
        this.running.delete(p);
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else if (!this.running.size) this.schedule(this.pollMs());
      });
    this.running.add(p);
  }
}
