import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { initI18n } from './i18n.tsx';
import App from './App.tsx';
import { ApiError } from './lib/api.ts';
import { getSession } from './lib/session.ts';
import { kpiQuery } from './lib/kpis.ts';
import { can } from './lib/permissions.ts';
import './styles.css';

initI18n();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      refetchOnWindowFocus: false,
      retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 2,
    },
  },
});

// Opening on the cockpit: fetch its KPIs and code at once, in parallel with the first render.
const first = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
const session = getSession();
if (session && can(session, 'cockpit.read') && (first === 'cockpit' || first === '')) {
  void queryClient.prefetchQuery(kpiQuery('', '30d'));
  void import('./screens/Cockpit.tsx');
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
