import { baseEn } from './locales/en/base.ts';
import { screensEn } from './locales/en/screens.ts';
import { dailyEn, dailyZh } from './locales/daily.ts';
import { merged } from './locales/tree.ts';
import { baseZh } from './locales/zh-CN/base.ts';
import { screensZh } from './locales/zh-CN/screens.ts';

/**
 * Every visible string, in English and Simplified Chinese (glossary of docs/DESIGN.md), by area in
 * web/src/locales/: en/ and zh-CN/ (base: the frame, shared words, KPIs, alert kinds and messages;
 * screens: the screens that watch and run the factory) and daily.ts (the daily-work screens, both
 * languages). test/web/locales.test.ts fails on a key missing in either language.
 */
export const resources = {
  en: { translation: merged(baseEn, screensEn, dailyEn) },
  'zh-CN': { translation: merged(baseZh, screensZh, dailyZh) },
};
