/**
 * The signed-in user: token, roles, and what the server says the user may do (`GET /api/v1/auth/me`),
 * kept in sessionStorage (gone when the tab closes).
 */
export interface Session {
  token: string;
  username: string;
  roles: string[];
  /** Permissions from the server's matrix; the web shows only what they allow. */
  permissions: string[];
  scope?: { plants: string[]; workCenters: string[] };
}

const KEY = 'closeloop.session';
type Listener = (s: Session | null) => void;
const listeners = new Set<Listener>();

export function getSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s ? { ...s, permissions: s.permissions ?? [] } : null;
  } catch {
    return null;
  }
}

export function setSession(s: Session | null) {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(s);
}

export function onSessionChange(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
