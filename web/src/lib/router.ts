import { useEffect, useState } from 'react';

/** Hash routes (`#/orders/SO-1?x=y`) so that the server needs no SPA fallback. */
export interface Route {
  path: string[];
  params: URLSearchParams;
}

function parse(): Route {
  const h = window.location.hash.replace(/^#\/?/, '');
  const [p, q] = h.split('?');
  return { path: (p ?? '').split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(q ?? '') };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (...parts: string[]) => '#/' + parts.map(encodeURIComponent).join('/');
export const navigate = (...parts: string[]) => {
  window.location.hash = href(...parts).slice(1);
};
