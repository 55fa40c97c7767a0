import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type RequestOptions } from './api.ts';
import { ErrorBox } from '../ui.tsx';

export const newKey = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `k-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);

/** The API's `details.issues` (400) as field → message, the field named as the body's path (`lines.0.qty`). */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || !e.details || typeof e.details !== 'object') return {};
  const out: Record<string, string> = {};
  const d = e.details as { issues?: { path?: string; message?: string }[]; field?: string };
  for (const i of d.issues ?? []) out[String(i.path ?? '').replace(/^body\.?/, '')] = String(i.message ?? '');
  if (d.field) out[d.field] = e.message;
  return out;
}

/**
 * One submit of a form to the API: a fresh Idempotency-Key each time, no second submit while the
 * first is on its way, the API's error kept for the form to show (inline by field and as a box).
 */
export function useSubmit<T = unknown>(onDone?: (answer: T) => void) {
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const send = async (path: string, opts: RequestOptions & { method: string }): Promise<T | undefined> => {
    if (inFlight.current) return undefined;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    try {
      const answer = await api<T>(path, { ...opts, idempotencyKey: newKey() });
      void qc.invalidateQueries();
      onDone?.(answer);
      return answer;
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };
  return { send, error, busy, fields: fieldErrors(error), reset: () => setError(null) };
}

/** A labelled input with its inline error from the API. */
export function Field({ label, name, error, children, hint }: { label: string; name: string; error?: string; children?: ReactNode; hint?: string }) {
  const id = `f-${name}`;
  return (
    <label htmlFor={children ? undefined : id} className={error ? "has-error" : undefined}>
      {label}
      {children ?? <input id={id} name={name} aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined} />}
      {hint && <span className="muted small">{hint}</span>}
      {error && (
        <span id={`${id}-err`} className="field-error" role="alert" data-field-error={name}>
          {error}
        </span>
      )}
    </label>
  );
}

/** The error of a submit that is not about one field (or about a field the form has not). */
export function SubmitError({ error, shown = [] }: { error: unknown; shown?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = fieldErrors(error);
  const rest = Object.entries(fields).filter(([k]) => !shown.includes(k));
  if (Object.keys(fields).length && !rest.length) return null;
  if (rest.length)
    return (
      <div className="error" role="alert">
        {t('form.invalid')}: {rest.map(([k, m]) => `${k || '—'}: ${m}`).join('; ')}
      </div>
    );
  return <ErrorBox error={error} />;
}

/** Values of a form by name, strings trimmed; empty fields left out. */
export function formValues(e: FormEvent<HTMLFormElement>): Record<string, string> {
  e.preventDefault();
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(e.currentTarget).entries()) if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}

export const numOr = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
