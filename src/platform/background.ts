/**
 * A background pass that runs when woken (after a commit) and otherwise every `pollMs`: passes
 * never overlap, and a wake during a pass runs another right after it. Timers are unref'd, so a
 * loop never keeps the process alive. Used by the audit sealer and the webhook dispatcher.
 */
export class WakeableLoop {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly pollMs: () => number,
    private readonly onError: (e: unknown) => void,
  ) {}

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops the timer and waits for the pass under way. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped || this.running) return;
      this.running = this.pass()
        .then(() => undefined, this.onError)
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule(this.again ? 0 : this.pollMs());
          this.again = false;
        });
    }, ms);
    this.timer.unref();
  }
}
