import i18n from 'i18next';

const lang = () => i18n.language || 'en';

export function fmtNumber(v: unknown, digits = 0): string {
  if (v === null || v === undefined || v === '' || Number.isNaN(Number(v))) return '—';
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(Number(v));
}
export function fmtPercent(v: unknown, digits = 1): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return new Intl.NumberFormat(lang(), { style: 'percent', maximumFractionDigits: digits }).format(Number(v));
}
export function fmtMoney(v: unknown, currency = 'CNY'): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  return new Intl.NumberFormat(lang(), { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(v));
}
export function fmtDate(v: unknown): string {
  if (!v) return '—';
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat(lang(), String(v).length <= 10 ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
export function fmtDateTime(v: unknown): string {
  if (!v) return '—';
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'short', timeStyle: 'medium' }).format(d);
}
/** "5 minutes ago" in the locale. */
export function fmtAge(v: unknown, now = Date.now()): string {
  if (!v) return '—';
  const mins = Math.round((now - new Date(String(v)).getTime()) / 60000);
  const rtf = new Intl.RelativeTimeFormat(lang(), { numeric: 'auto' });
  if (Math.abs(mins) < 60) return rtf.format(-mins, 'minute');
  const hours = Math.round(mins / 60);
  if (Math.abs(hours) < 48) return rtf.format(-hours, 'hour');
  return rtf.format(-Math.round(hours / 24), 'day');
}
export const ageMinutes = (v: unknown, now = Date.now()) => (v ? Math.max(0, (now - new Date(String(v)).getTime()) / 60000) : 0);
/** The time of day, hours and minutes ("14:05"). */
export function fmtTime(v: unknown): string {
  if (!v) return '—';
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat(lang(), { hour: '2-digit', minute: '2-digit' }).format(d);
}
