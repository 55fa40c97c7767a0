import { useState, type ReactNode } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from './api.ts';
import { Empty, ErrorBox, Loading, Missing } from '../ui.tsx';

export interface Column<R> {
  key: string;
  label: string;
  /** Sorted by the server (`?sort=key` / `-key`). */
  sortable?: boolean;
  render?: (row: R) => ReactNode;
}

const PAGE = 20;

/**
 * A list over the API, a page at a time: `?q=` search, `?sort=`, `?limit=&offset=` (one more row
 * than shown, to know there is a next page). A route the server does not have yet says so.
 */
export function PagedList<R extends object>({
  path,
  columns,
  rowKey,
  testId,
  params = {},
  initialSort = 'code',
  queryKey = 'list',
  refetchInterval,
  empty,
}: {
  path: string;
  columns: Column<R>[];
  rowKey: (r: R) => string;
  testId?: string;
  /** Filters sent with every page (`?status=open`); a change starts again at the first page. */
  params?: Record<string, string>;
  initialSort?: string;
  /** The first part of the page's query key: `alerts` or `sales-orders` are refreshed by the live stream and their own actions. */
  queryKey?: string;
  refetchInterval?: number;
  /** What an empty page says (default: the common "nothing here"). */
  empty?: ReactNode;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [sort, setSort] = useState(initialSort);
  const [page, setPage] = useState(0);
  const filters = JSON.stringify(params);
  const [seen, setSeen] = useState(filters);
  if (seen !== filters) {
    setSeen(filters);
    setPage(0);
  }
  const list = useQuery({
    queryKey: [queryKey, path, filters, q, sort, page],
    queryFn: () => api<R[]>(`${path}${qs({ ...params, q, sort, limit: PAGE + 1, offset: page * PAGE })}`),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  if (list.error instanceof ApiError && list.error.status === 404) return <Missing route={`GET ${path}`} />;
  const rows = (list.data ?? []).slice(0, PAGE);
  const sortBy = (k: string) => {
    setSort(sort === k ? `-${k}` : k);
    setPage(0);
  };
  return (
    <div className="paged" data-testid={testId}>
      <div className="toolbar">
        <label>
          {t('list.search')}
          <input
            name="search"
            type="search"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(0);
            }}
          />
        </label>
      </div>
      <ErrorBox error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : !rows.length ? (
        <Empty>{empty}</Empty>
      ) : (
        <table className="table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} aria-sort={sort === c.key ? 'ascending' : sort === `-${c.key}` ? 'descending' : undefined}>
                  {c.sortable ? (
                    <button type="button" className="link" onClick={() => sortBy(c.key)}>
                      {c.label} {sort === c.key ? '▲' : sort === `-${c.key}` ? '▼' : ''}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={rowKey(r)} data-row={rowKey(r)}>
                {columns.map((c) => (
                  <td key={c.key}>{c.render ? c.render(r) : String((r as Record<string, unknown>)[c.key] ?? '—')}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
          ← {t('list.previous')}
        </button>
        <span className="muted">{t('list.page', { page: page + 1 })}</span>
        <button type="button" disabled={(list.data?.length ?? 0) <= PAGE} onClick={() => setPage(page + 1)}>
          {t('list.next')} →
        </button>
      </div>
    </div>
  );
}
