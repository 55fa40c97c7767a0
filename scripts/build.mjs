// Builds the product: src/ compiled to JavaScript in dist/ (tsc, ADR 0008) with the SQL migrations
// beside it, then the web app (vite) into web/dist/. `npm install` runs it (prepare); `npm start`
// and bin/closeloop.js run the result, so a running Closeloop carries no TypeScript compiler.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2]; // 'server' | 'web' | undefined (both)

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function copySql(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copySql(path);
    else if (name.endsWith('.sql')) cpSync(path, join(root, 'dist', relative(join(root, 'src'), path)));
  }
}

if (only !== 'web') {
  const started = Date.now();
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
  copySql(join(root, 'src'));
  console.log(`closeloop: server built into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
if (only !== 'server') run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
