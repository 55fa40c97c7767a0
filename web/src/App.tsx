import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './i18n.tsx';
import { getSession, onSessionChange, setSession, type Session } from './lib/session.ts';
import { href, navigate, useRoute } from './lib/router.ts';
import { mayUse, screensFor, type Screen } from './lib/permissions.ts';
import { loadMe, logout, sessionOf } from './lib/me.ts';
import { connectLive, throttle, type LiveStatus } from './lib/live.ts';
import { startQueue } from './lib/offline-queue.ts';
import SignIn from './screens/SignIn.tsx';
import { Loading } from './ui.tsx';

const screens: Record<Screen, React.LazyExoticComponent<React.ComponentType<{ session: Session }>>> = {
  cockpit: lazy(() => import('./screens/Cockpit.tsx')),
  orders: lazy(() => import('./screens/Orders.tsx')),
  planner: lazy(() => import('./screens/Planner.tsx')),
  terminal: lazy(() => import('./screens/Terminal.tsx')),
  quality: lazy(() => import('./screens/Quality.tsx')),
  inventory: lazy(() => import('./screens/Inventory.tsx')),
  integration: lazy(() => import('./screens/Integration.tsx')),
  alerts: lazy(() => import('./screens/Alerts.tsx')),
  purchasing: lazy(() => import('./screens/Purchasing.tsx')),
  master: lazy(() => import('./screens/Master.tsx')),
  trace: lazy(() => import('./screens/Trace.tsx')),
  admin: lazy(() => import('./screens/Admin.tsx')),
};

/** Queries that follow the shop floor: refetched (if on screen) when the server says something changed. */
const LIVE_KEYS = new Set(['kpis', 'work-orders', 'sales-orders', 'sales-order', 'alerts', 'messages', 'schedule', 'inventory', 'dead-letters']);

export default function App() {
  const [session, setLocal] = useState<Session | null>(getSession);
  const qc = useQueryClient();
  useEffect(
    () =>
      onSessionChange((s) => {
        setLocal(s);
        if (!s) qc.clear();
      }),
    [qc],
  );
  if (!session) return <SignIn />;
  return <Shell session={session} />;
}

function Shell({ session }: { session: Session }) {
  const { t } = useTranslation();
  const route = useRoute();
  const qc = useQueryClient();
  const [live, setLive] = useState<LiveStatus>('connecting');
  const allowed = useMemo(() => screensFor(session), [session]);
  const requested = route.path[0] as Screen | undefined;
  const current: Screen | undefined = requested && requested in screens && mayUse(session, requested) ? requested : allowed[0];

  // What the user may do comes from the server, fresh at each start (an admin may have changed it).
  useEffect(() => {
    let gone = false;
    loadMe(session.token)
      .then((me) => {
        if (!gone && JSON.stringify(me.permissions) !== JSON.stringify(session.permissions)) setSession(sessionOf(session.token, me));
      })
      .catch(() => undefined);
    return () => {
      gone = true;
    };
  }, [session.token, session.permissions]);
  const big = current === 'cockpit' && route.params.get('big') === '1';

  // Live updates: any event refetches what is on screen (at most once a second).
  useEffect(() => {
    const refresh = throttle(() => void qc.invalidateQueries({ predicate: (q) => LIVE_KEYS.has(String(q.queryKey[0])) }), 1000);
    return connectLive(() => refresh(), setLive);
  }, [qc, session.token]);
  useEffect(() => startQueue(session.username), [session.username]);
  useEffect(() => {
    if (requested !== current && current) navigate(current);
  }, [requested, current]);

  const Screen = current ? screens[current] : null;
  return (
    <div className={`shell ${big ? 'big' : ''}`}>
      {!big && (
        <header className="topbar">
          <div className="brand">{t('app.name')}</div>
          <nav>
            {allowed.map((s) => (
              <a key={s} href={href(s)} className={s === current ? 'active' : ''} data-screen={s}>
                {t(`nav.${s}`)}
              </a>
            ))}
          </nav>
          <div className="topbar-right">
            <span className={`live live-${live}`} title={t(`live.${live}`)} data-testid="live">
              ● {t(`live.${live}`)}
            </span>
            <LanguageSwitch />
            <span className="user">
              {session.username} <span className="muted">({session.roles.map((r) => t(`role.${r}`, { defaultValue: r })).join(', ')})</span>
            </span>
            <button type="button" className="link" onClick={() => void logout(session.token).finally(() => setSession(null))} data-testid="sign-out">
              {t('app.signOut')}
            </button>
          </div>
        </header>
      )}
      <main className="content">
        {Screen ? (
          <Suspense fallback={<Loading />}>
            <Screen session={session} />
          </Suspense>
        ) : (
          <p>{t('app.noScreens')}</p>
        )}
      </main>
    </div>
  );
}
