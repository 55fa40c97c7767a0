/**
 * The row type a query answers when its caller names none: every column `any`. It is what the
 * queries written before the no-`any` rule read their columns through, and the one place that
 * `any` is left for them (this file stays in LEGACY_ANY of eslint.config.js). A new query names its
 * row interface: `q.query<ItemRow>(…)`. The default in types.ts goes, and this file with it, when
 * the last caller states its row type.
 */
export type LegacyRow = Record<string, any>;
