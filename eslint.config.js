import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint of the whole product: server (src), tests, benches and the web app.
 * - No `any` in the product (src, web, scripts, bin; tests aside): type rows with an interface per table,
 *   payloads with their schema. Tests and benches may read an answer's JSON as `any`: they assert
 *   its shape field by field, which is the check a type would only repeat.
 * - At most 300 lines a file (DESIGN.md convention 9): a longer file is doing two jobs.
 * test/tooling.test.ts proves that each rule bites.
 */

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
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['scripts/**/*.{js,mjs,ts}', 'bin/**/*.js'], languageOptions: { globals: globals.node } },
);
