import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver on 127.0.0.1 (port 0): keeps what it accepted; `failing` answers 500 instead. */
export interface Receiver {
  url: string;
  accepted: { body: string; signature: string | undefined; event: { cursor: number; type: string; externalRef: string | null; payload: Record<string, unknown> } }[];
  refused: number;
  failing: boolean | ((n: number) => boolean);
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    accepted: [],
    refused: 0,
    failing: false,
    close: () => new Promise((res) => server.close(() => res())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const fail = typeof r.failing === 'function' ? r.failing(r.refused + r.accepted.length) : r.failing;
      if (fail) {
        r.refused++;
        res.writeHead(500).end('not now');
        return;
      }
      r.accepted.push({ body, signature: req.headers['x-closeloop-signature'] as string | undefined, event: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return r;
}

/** Waits (at most `maxMs`) until `cond` holds; the test then asserts what it waited for. */
export async function until(cond: () => boolean | Promise<boolean>, maxMs = 15_000) {
  const end = Date.now() + maxMs;
  while (Date.now() < end && !(await cond())) await new Promise((r) => setTimeout(r, 20));
}
