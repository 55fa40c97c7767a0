import { ApiError, NetworkError, api } from './api.ts';

/**
 * The operator terminal's outbox. Every shop-floor action is first written here (localStorage)
 * with an Idempotency-Key made once for it, then sent; actions go strictly in order. A network
 * failure leaves the action at the head and sending stops until the network returns (the `online`
 * event, or a retry timer). A resend after a lost answer carries the same key, so the server
 * answers with its first answer and does the work once. An answer of the server that refuses the
 * action (4xx) removes it from the queue and keeps it in `failed` for the operator to see.
 */
export interface QueuedAction {
  key: string;
  user: string;
  method: string;
  path: string;
  body?: unknown;
  /** i18n key and values describing the action to the operator. */
  label: { key: string; values?: Record<string, string | number> };
  createdAt: string;
  attempts: number;
  error?: string;
}

const QUEUE = 'closeloop.offline-queue.v1';
const FAILED = 'closeloop.offline-failed.v1';

type Listener = () => void;
const listeners = new Set<Listener>();
let flushing: Promise<void> | null = null;
let online = typeof navigator === 'undefined' ? true : navigator.onLine;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let currentUser = '';
const resultListeners = new Set<(a: QueuedAction, ok: boolean, answer: unknown) => void>();

function read(key: string): QueuedAction[] {
  try {
    return JSON.parse(localStorage.getItem(key) ?? '[]') as QueuedAction[];
  } catch {
    return [];
  }
}
function write(key: string, v: QueuedAction[]) {
  localStorage.setItem(key, JSON.stringify(v));
  for (const l of listeners) l();
}

export const pending = (user = currentUser) => read(QUEUE).filter((a) => a.user === user);
export const failed = (user = currentUser) => read(FAILED).filter((a) => a.user === user);
export const isOnline = () => online;
export function dismissFailed(key: string) {
  write(
    FAILED,
    read(FAILED).filter((a) => a.key !== key),
  );
}

export function subscribe(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
export function onResult(l: (a: QueuedAction, ok: boolean, answer: unknown) => void): () => void {
  resultListeners.add(l);
  return () => resultListeners.delete(l);
}

function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Queues an action and starts sending. Resolves when it is queued, not when it is delivered. */
export function enqueue(user: string, a: Pick<QueuedAction, 'method' | 'path' | 'body' | 'label'>): QueuedAction {
  const action: QueuedAction = { ...a, user, key: newKey(), createdAt: new Date().toISOString(), attempts: 0 };
  write(QUEUE, [...read(QUEUE), action]);
  void flush();
  return action;
}

function setOnline(v: boolean) {
  if (online !== v) {
    online = v;
    for (const l of listeners) l();
  }
}

function scheduleRetry() {
  if (retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flush();
  }, 3000);
}

/** Sends the queued actions of the current user, oldest first; one sender at a time. */
export function flush(): Promise<void> {
  if (flushing) return flushing;
  const p = drain().then((outcome) => {
    flushing = null;
    // An action queued while the last answer was on its way: send it too.
    if (outcome === 'drained' && read(QUEUE).some((a) => a.user === currentUser)) void flush();
  });
  flushing = p;
  return p;
}

async function drain(): Promise<'drained' | 'stopped'> {
  for (;;) {
    const head = read(QUEUE).find((a) => a.user === currentUser);
    if (!head || !currentUser) return 'drained';
    try {
      const answer = await api(head.path, { method: head.method, body: head.body, idempotencyKey: head.key });
      setOnline(true);
      write(
        QUEUE,
        read(QUEUE).filter((a) => a.key !== head.key),
      );
      for (const l of resultListeners) l(head, true, answer);
    } catch (e) {
      if (e instanceof NetworkError || (e instanceof ApiError && e.status >= 502)) {
        setOnline(false);
        write(
          QUEUE,
          read(QUEUE).map((a) => (a.key === head.key ? { ...a, attempts: a.attempts + 1, error: (e as Error).message } : a)),
        );
        scheduleRetry();
        return 'stopped';
      }
      if (e instanceof ApiError && e.status === 401) return 'stopped'; // signed out: sent after the next sign-in
      setOnline(true);
      write(
        QUEUE,
        read(QUEUE).filter((a) => a.key !== head.key),
      );
      write(FAILED, [...read(FAILED), { ...head, attempts: head.attempts + 1, error: (e as Error).message }]);
      for (const l of resultListeners) l(head, false, e);
    }
  }
}

/** Starts the queue for a signed-in user: sends what is left from before and listens for the network. */
export function startQueue(user: string): () => void {
  currentUser = user;
  const on = () => {
    setOnline(true);
    void flush();
  };
  const off = () => setOnline(false);
  window.addEventListener('online', on);
  window.addEventListener('offline', off);
  void flush();
  return () => {
    window.removeEventListener('online', on);
    window.removeEventListener('offline', off);
  };
}
