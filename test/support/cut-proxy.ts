import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 (a free port) to `target`, that can be cut: every connection through it
 * is dropped and new ones are refused until `restore()`. Stands for a database that went away,
 * without touching the shared server.
 */
export class CutProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private cut = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start() {
    this.server = createServer((inbound) => {
      if (this.cut) return inbound.destroy();
      const outbound = connect(this.target.port, this.target.host);
      for (const [a, b] of [
        [inbound, outbound],
        [outbound, inbound],
      ] as const) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Drops every connection and refuses new ones. */
  cutOff() {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  restore() {
    this.cut = false;
  }

  async close() {
    this.cutOff();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
