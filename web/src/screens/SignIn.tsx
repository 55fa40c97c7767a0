import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError, api } from '../lib/api.ts';
import { setSession } from '../lib/session.ts';
import { loadMe, sessionOf } from '../lib/me.ts';
import { LanguageSwitch } from '../i18n.tsx';

export default function SignIn() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ token: string; user: { username: string; roles: string[] } }>('/api/v1/auth/login', {
        method: 'POST',
        body: { username: String(f.get('username') ?? ''), password: String(f.get('password') ?? '') },
      });
      setSession(sessionOf(r.token, await loadMe(r.token)));
    } catch (err) {
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 400)
          ? t('signIn.wrong')
          : err instanceof NetworkError
            ? t('common.networkError')
            : t('common.error'),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="signin-page">
      <div className="signin-lang">
        <LanguageSwitch />
      </div>
      <form className="signin card" onSubmit={submit}>
        <h1>{t('app.name')}</h1>
        <p className="muted">{t('signIn.tagline')}</p>
        <label>
          {t('signIn.username')}
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
      </form>
    </div>
  );
}
