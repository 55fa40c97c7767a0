/** Module boundaries of DESIGN.md: erp and mes never meet; modules meet only through index.ts. */
const modules = ['platform', 'erp', 'mes', 'messages', 'integration', 'planning', 'collect', 'cockpit', 'cli'];
module.exports = {
  forbidden: [
    { name: 'erp-not-mes', severity: 'error', from: { path: '^src/erp/' }, to: { path: '^src/mes/' } },
    { name: 'mes-not-erp', severity: 'error', from: { path: '^src/mes/' }, to: { path: '^src/erp/' } },
    {
      name: 'messages-is-a-leaf', severity: 'error',
      from: { path: '^src/messages/' }, to: { path: '^src/(?!messages/)' },
    },
    {
      name: 'planning-is-pure', severity: 'error',
      from: { path: '^src/planning/' }, to: { path: '^src/(?!planning/)', pathNot: '^src/platform/kernel/' },
    },
    {
      name: 'only-through-the-door',
      comment: 'another module is used only through its index.ts',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: {
        path: `^src/(${modules.join('|')})/.+`,
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/platform/'],
      },
    },
    {
      name: 'model-is-pure',
      comment: 'a model.ts holds types, invariants and pure functions: at run time it imports only the kernel and zod',
      severity: 'error',
      from: { path: '(^|/)model\\.ts$' },
      to: { pathNot: ['^src/platform/kernel/', '(^|/)node_modules/zod/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'product-code-never-imports-tests',
      comment: 'test/ holds fixtures and scenarios; nothing the product runs may depend on them',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    { name: 'no-circular-modules', severity: 'warn', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
