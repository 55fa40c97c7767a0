import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint of the whole product: server (src), tests, benches and the web app.
 * - No `any`: type rows with an interface per table, payloads with their schema.
 * - At most 300 lines a file (DESIGN.md convention 9): a longer file is doing two jobs.
 * test/tooling.test.ts proves that each rule bites.
 */

/** Files written before the rules: each is to leave this list, never to join it. */
const LEGACY_ANY = [
  'test/support/mes-factory.ts',
  'bench/loop.ts',
  'bench/mes.ts',
  'bench/planning.ts',
  'src/erp/boms/boms.test.ts',
  'src/erp/costing/full-order.test.ts',
  'src/erp/costing/journal.ts',
  'src/erp/inventory/inventory.test.ts',
  'src/erp/items/store.ts',
  'src/erp/purchasing/service.ts',
  'src/erp/sales/sales.test.ts',
  'src/erp/sales/work-orders.ts',
  'src/erp/transfer/export.ts',
  'src/erp/transfer/import.ts',
  'src/erp/transfer/routes.ts',
  'src/erp/transfer/transfer.test.ts',
  'src/mes/execution/complete.ts',
  'src/mes/execution/execution.test.ts',
  'src/mes/execution/performance.ts',
  'src/mes/execution/service.ts',
  'src/mes/genealogy/store.ts',
  'src/mes/quality/quality-equipment.test.ts',
  'src/mes/quality/service.ts',
  'src/mes/resources/service.ts',
  'src/mes/routings/service.ts',
  'src/mes/views/planning.ts',
  'src/mes/views/reads.ts',
  'src/mes/work-orders/change-scope.test.ts',
  'src/mes/work-orders/change.ts',
  'src/mes/work-orders/create.ts',
  'src/mes/work-orders/plan.ts',
  'src/mes/work-orders/work-orders.test.ts',
  'src/platform/db/legacy-row.ts', // the default row type of a query, until every caller names its own
  'test/alert-messages.test.ts',
  'test/bus-nats.test.ts',
  'test/cli-jssp.test.ts',
  'test/closed-loop-faults.test.ts',
  'test/closed-loop.test.ts',
  'test/collect-external.test.ts',
  'test/collect-loop.test.ts',
  'test/collect.test.ts',
  'test/foundation.test.ts',
  'test/global-setup.ts',
  'test/governance-audit-alerts.test.ts',
  'test/governance-matrix.test.ts',
  'test/governance-sessions.test.ts',
  'test/planning.test.ts',
  'test/support/app.ts',
  'test/support/factory.ts',
  'test/web/seed.ts',
  'web/src/lib/api.ts',
  'web/src/lib/capabilities.ts',
  'web/src/lib/live.ts',
  'web/src/screens/Cockpit.tsx',
  'web/src/screens/Integration.tsx',
  'web/src/screens/Orders.tsx',
  'web/src/screens/Planner.tsx',
  'web/src/screens/Quality.tsx',
  'web/src/screens/Terminal.tsx',
];
const LEGACY_LONG = [
  'src/integration/b2mml/b2mml.test.ts',
  'web/src/locales.ts',
  'web/src/screens/Cockpit.tsx',
  'web/src/screens/Orders.tsx',
  'web/src/screens/Terminal.tsx',
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'web/dist', 'data', 'docs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }],
      'no-console': 'off',
    },
  },
  { files: ['web/**/*.{ts,tsx}'], languageOptions: { globals: globals.browser } },
  { files: ['scripts/**/*.{js,mjs,ts}', 'bin/**/*.js'], languageOptions: { globals: globals.node } },
  ...(LEGACY_ANY.length ? [{ files: LEGACY_ANY, rules: { '@typescript-eslint/no-explicit-any': 'off' } }] : []),
  ...(LEGACY_LONG.length ? [{ files: LEGACY_LONG, rules: { 'max-lines': 'off' } }] : []),
);
