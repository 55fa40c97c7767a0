import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, qs } from '../../lib/api.ts';

/** A code input that suggests items by code or name as one types (`GET /api/v1/erp/items?q=`, ten at a time). */
export function ItemSearch({ label, name, value, onChange, error, path = '/api/v1/erp/items' }: { label: string; name: string; value: string; onChange: (v: string) => void; error?: string; path?: string }) {
  const list = useId();
  const found = useQuery({
    queryKey: ['list', path, value, 'code', 'suggest'],
    queryFn: () => api<{ code: string; name: string }[]>(`${path}${qs({ q: value, limit: 10 })}`),
    enabled: value.length > 0,
    staleTime: 30_000,
  });
  return (
    <label>
      {label}
      <input name={name} value={value} list={list} autoComplete="off" onChange={(e) => onChange(e.target.value)} aria-invalid={!!error} required />
      <datalist id={list}>
        {(found.data ?? []).map((i) => (
          <option key={i.code} value={i.code}>
            {i.name}
          </option>
        ))}
      </datalist>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
