import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkResolvedTarget } from '../../platform/index.ts';

/** Kept-alive connections to receivers (node:http costs a fraction of fetch per request). */
const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };

/**
 * POSTs a body and resolves with the answer's status (redirects are not followed; the answer's body
 * is read and dropped). Rejects on a network error or after `timeoutMs`.
 */
export async function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  // the name may resolve to a link-local or metadata address since the system was saved
  await checkResolvedTarget(url);
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(
      u,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
