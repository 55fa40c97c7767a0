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
  'src/cli/audit.ts',
  'src/cli/demo.ts',
  'src/cli/simulate.ts',
  'src/collect/ingest.ts',
  'src/collect/pipeline.ts',
  'src/collect/runtime.ts',
  'src/integration/dead-letters/routes.ts',
  'src/integration/planning/mrp-worker.ts',
  'src/integration/planning/routes.ts',
  'src/integration/planning/service.ts',
  'src/mes/work-orders/change-scope.test.ts',
  'src/mes/work-orders/change.ts',
  'src/mes/work-orders/create.ts',
  'src/mes/work-orders/plan.ts',
  'src/mes/work-orders/work-orders.test.ts',
  'src/platform/alerts/rules.ts',
  'src/platform/alerts/webhooks.ts',
  'src/platform/bus/bus.ts',
  'src/platform/bus/jetstream.ts',
  'src/platform/bus/relay.ts',
  'src/platform/db/pglite-engine.ts',
  'src/platform/db/types.ts',
  'src/platform/db/unit-of-work.ts',
  'src/platform/http/errors.ts',
  'src/platform/http/route.ts',
  'src/platform/http/server.ts',
  'src/platform/spreadsheet/sheet.ts',
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
  'src/cli/demo.ts',
  'src/integration/b2mml/b2mml.test.ts',
  'src/planning/scheduler/shop-model.ts',
  'src/planning/scheduler/tabu-search.ts',
  'src/platform/bus/jetstream.ts',
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
