import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from './lib/api.ts';

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className ?? ''}`}>
      {(title || actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Progress({ value, label }: { value: number; label?: string }) {
  const v = Math.max(0, Math.min(1, Number(value) || 0));
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(v * 100)} aria-label={label}>
      <div className="progress-bar" style={{ width: `${v * 100}%` }} />
      <span className="progress-text">{Math.round(v * 100)}%</span>
    </div>
  );
}

export function Badge({ kind, children }: { kind: string; children: ReactNode }) {
  return <span className={`badge badge-${kind}`}>{children}</span>;
}

export function Status({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <span className="muted">—</span>;
  return <Badge kind={value}>{t(`status.${value}`, { defaultValue: value })}</Badge>;
}

export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    text = error.status === 404 ? t('common.notFound') : error.status === 403 ? t('common.forbidden') : `${t('common.error')}: ${error.message}`;
  } else if (error instanceof NetworkError) text = t('common.networkError');
  else text = `${t('common.error')}: ${(error as Error)?.message ?? String(error)}`;
  return (
    <div className="error" role="alert">
      {text}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <div className="muted loading">{t('common.loading')}</div>;
}

export function Empty({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  return <div className="muted empty">{children ?? t('common.empty')}</div>;
}

/** Shown where the server does not (yet) offer a route a screen needs. */
export function Missing({ route }: { route: string }) {
  const { t } = useTranslation();
  return (
    <div className="muted empty" data-missing={route}>
      {t('common.missingRoute', { route })}
    </div>
  );
}
