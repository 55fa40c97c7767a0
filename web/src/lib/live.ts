import { getSession } from './session.ts';

/**
 * Server-sent events from `GET /api/v1/events`, read with fetch() streaming because EventSource
 * cannot send the Authorization header. Parses the SSE text (`event:`, `data:`, `id:` lines, a
 * blank line ends an event; `:` lines are comments/heartbeats) and reconnects with a backoff.
 */
export interface LiveMessage {
  id?: string;
  event: string;
  /** The JSON of the `data:` lines, or their text when it is not JSON. */
  data: unknown;
}

export function parseSse(buffer: string): { events: LiveMessage[]; rest: string } {
  const events: LiveMessage[] = [];
  const text = buffer.replace(/\r\n?/g, '\n');
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? '' : line.slice(i + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (!data.length) continue;
    const raw = data.join('\n');
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      /* plain text data */
    }
    events.push({ id, event, data: parsed });
  }
  return { events, rest };
}

export type LiveStatus = 'connecting' | 'live' | 'down';

export function connectLive(onEvent: (e: LiveMessage) => void, onStatus: (s: LiveStatus) => void): () => void {
  let stopped = false;
  let ctrl: AbortController | null = null;
  let delay = 1000;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const run = async () => {
    if (stopped) return;
    const session = getSession();
    if (!session) return;
    ctrl = new AbortController();
    onStatus('connecting');
    try {
      const res = await fetch('/api/v1/events', {
        headers: { authorization: `Bearer ${session.token}`, accept: 'text/event-stream' },
        signal: ctrl.signal,
        cache: 'no-store',
      });
      if (!res.ok || !res.body) throw new Error(`events ${res.status}`);
      onStatus('live');
      delay = 1000;
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const { events, rest } = parseSse(buffer);
        buffer = rest;
        for (const e of events) onEvent(e);
      }
    } catch {
      /* dropped: reconnect below */
    }
    if (stopped) return;
    onStatus('down');
    timer = setTimeout(run, delay);
    delay = Math.min(delay * 2, 15_000);
  };
  void run();
  const onOnline = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
      delay = 1000;
      void run();
    }
  };
  window.addEventListener('online', onOnline);
  return () => {
    stopped = true;
    window.removeEventListener('online', onOnline);
    if (timer) clearTimeout(timer);
    ctrl?.abort();
  };
}

/** Calls `fn` at most once per `ms`, and once more after the last call inside a window. */
export function throttle(fn: () => void, ms: number): () => void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    const now = Date.now();
    const wait = last + ms - now;
    if (wait <= 0) {
      last = now;
      fn();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        last = Date.now();
        fn();
      }, wait);
    }
  };
}
