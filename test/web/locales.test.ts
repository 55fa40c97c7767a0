import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../../web/src/locales.ts';

/** Every text of the web app in both languages: a key missing in either fails here. */
type Tree = { [k: string]: string | Tree };

function keys(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const en = resources.en.translation as Tree;
const zh = resources['zh-CN'].translation as Tree;

describe('web texts in en and zh-CN', () => {
  it('have the same keys in both languages, none empty', () => {
    const e = keys(en).sort();
    const z = keys(zh).sort();
    expect(e.filter((k) => !z.includes(k))).toEqual([]);
    expect(z.filter((k) => !e.includes(k))).toEqual([]);
    const empty = (t: Tree, prefix = ''): string[] =>
      Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? (v.trim() ? [] : [`${prefix}${k}`]) : empty(v, `${prefix}${k}.`)));
    expect([...empty(en), ...empty(zh)]).toEqual([]);
  });

  it('have every key the screens ask for by a literal name', () => {
    const have = new Set(keys(en));
    const asked = new Set<string>();
    for (const file of sources(join(import.meta.dirname, '../../web/src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) asked.add(m[1]);
    }
    expect(asked.size).toBeGreaterThan(100);
    expect([...asked].filter((k) => !have.has(k)).sort()).toEqual([]);
  });
});
