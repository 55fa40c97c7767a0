import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { resources } from './locales.ts';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
] as const;
type Lang = (typeof LANGUAGES)[number]['code'];

/** `?lang=` first, then what the user chose before, then the browser's language. */
function pick(): Lang {
  const norm = (v: string | null | undefined): Lang | null => {
    if (!v) return null;
    const l = v.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
    return null;
  };
  const fromUrl = norm(new URLSearchParams(window.location.search).get('lang'));
  if (fromUrl) return fromUrl;
  const saved = norm(localStorage.getItem('closeloop.lang'));
  if (saved) return saved;
  for (const l of navigator.languages ?? [navigator.language]) {
    const n = norm(l);
    if (n) return n;
  }
  return 'en';
}

export function initI18n() {
  const lng = pick();
  void i18n.use(initReactI18next).init({
    resources,
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  i18n.on('languageChanged', (l) => {
    document.documentElement.lang = l;
  });
}

export function setLanguage(l: Lang) {
  void i18n.changeLanguage(l);
  localStorage.setItem('closeloop.lang', l);
  const url = new URL(window.location.href);
  url.searchParams.set('lang', l);
  window.history.replaceState(null, '', url.toString());
}

export function LanguageSwitch() {
  const { t, i18n: inst } = useTranslation();
  return (
    <label className="lang-switch">
      <span className="sr-only">{t('app.language')}</span>
      <select name="lang" aria-label={t('app.language')} value={inst.language} onChange={(e) => setLanguage(e.target.value as Lang)} data-testid="lang">
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
