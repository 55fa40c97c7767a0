#!/usr/bin/env node
// The `closeloop` command. It runs the compiled build (dist/, made by `npm install` or
// `npm run build`; ADR 0008). In a checkout without a build it runs the TypeScript sources
// through tsx, the development loader, and says so.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
let main;
if (existsSync(built)) ({ main } = await import(built.href));
else {
  process.stderr.write('closeloop: no build in dist/ (npm run build); running the sources through tsx\n');
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
