import type { i18n } from 'i18next';

/** What an alert says: the English message the server stored, and the key of its text with the values it fills in. */
export interface AlertMessageFields {
  message: string;
  messageKey?: string | null;
  params?: Record<string, string | number> | null;
}

/**
 * An alert's message in the reader's language: the text of its key (`alertMessage` in locales/en/base.ts and locales/zh-CN/base.ts)
 * filled with its params, or the stored English message when the alert has no key or one this app
 * has no text for. Call it from a component that uses `useTranslation()`, so that it renders again
 * when the language changes.
 */
export function alertMessageText(i18n: Pick<i18n, 't' | 'exists'>, a: AlertMessageFields): string {
  const key = a.messageKey ? `alertMessage.${a.messageKey}` : null;
  if (!key || !i18n.exists(key)) return a.message;
  // `replace`: the params are only values to fill in, never options of t (a param named `count` or
  // `lng`); a copy, as i18next writes into it when the text nests another ($t(…)).
  return i18n.t(key, { replace: { ...a.params } });
}
