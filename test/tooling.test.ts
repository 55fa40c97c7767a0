import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The house rules are checked by tools in `npm test`; each rule is shown to bite on a small
 * fixture written here (nothing of it lives in the repository, so the real run never sees it).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'closeloop-tooling-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Runs a tool of the repository in a fixture folder; its report whether it passes or fails. */
function run(bin: string, args: string[], cwd: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(process.execPath, [join(root, 'node_modules', bin), ...args], { cwd, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: `${err.stdout}${err.stderr}` };
  }
}

describe('ESLint (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: root });
  const rulesOf = async (text: string, filePath: string) => (await eslint.lintText(text, { filePath: join(root, filePath) }))[0].messages.map((m) => m.ruleId);

  it('refuses `any` in the server and in the web app', async () => {
    expect(await rulesOf('export const f = (x: any) => x;\n', 'src/erp/items/fixture.ts')).toContain('@typescript-eslint/no-explicit-any');
    expect(await rulesOf('export const f = (x: any) => x;\n', 'web/src/lib/fixture.ts')).toContain('@typescript-eslint/no-explicit-any');
    expect(await rulesOf('export const f = (x: unknown) => x;\n', 'src/erp/items/fixture.ts')).toEqual([]);
  });

  it('refuses a file of 301 lines and takes one of 300', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    expect(await rulesOf(lines(301), 'src/mes/fixture.ts')).toContain('max-lines');
    expect(await rulesOf(lines(300), 'src/mes/fixture.ts')).toEqual([]);
  });
});

describe('dependency-cruiser (.dependency-cruiser.cjs)', () => {
  const tsconfig = JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } });
  const cruise = (dir: string) => run('dependency-cruiser/bin/dependency-cruise.mjs', ['src', '--config', join(root, '.dependency-cruiser.cjs')], dir);

  it('refuses a model.ts that does IO, and product code that imports test/', () => {
    const dir = project('cruise-bad', {
      'tsconfig.json': tsconfig,
      'src/platform/kernel/index.ts': 'export const k = 1;\n',
      'src/erp/items/model.ts': "import { readFileSync } from 'node:fs';\nimport { k } from '../../platform/kernel/index.ts';\nexport const f = () => readFileSync('x') && k;\n",
      'src/erp/items/service.ts': "import { seed } from '../../../test/support/seed.ts';\nexport const g = seed;\n",
      'test/support/seed.ts': 'export const seed = 1;\n',
    });
    const { code, out } = cruise(dir);
    expect(code).not.toBe(0);
    expect(out).toContain('model-is-pure');
    expect(out).toContain('product-code-never-imports-tests');
  });

  it('takes a model.ts that imports only the kernel', () => {
    const dir = project('cruise-good', {
      'tsconfig.json': tsconfig,
      'src/platform/kernel/index.ts': 'export const k = 1;\n',
      'src/erp/items/model.ts': "import { k } from '../../platform/kernel/index.ts';\nexport const f = () => k;\n",
    });
    expect(cruise(dir)).toMatchObject({ code: 0 });
  });
});

describe('knip (knip.json)', () => {
  it('refuses an export nobody imports', () => {
    const dir = project('knip', {
      'package.json': JSON.stringify({ name: 'fixture', type: 'module', private: true }),
      'knip.json': JSON.stringify({ entry: ['src/main.ts'], project: ['src/**/*.ts'], ignoreExportsUsedInFile: true }),
      'src/main.ts': "import { used } from './lib.ts';\nconsole.log(used);\n",
      'src/lib.ts': 'export const used = 1;\nexport const forgotten = 2;\n',
    });
    const { code, out } = run('knip/bin/knip.js', ['--no-progress', '--no-config-hints'], dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(/forgotten\s+src\/lib\.ts/);
    expect(out).not.toMatch(/\bused\s+src\/lib\.ts/);
  });
});
