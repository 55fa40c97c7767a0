import { describe, expect, it } from 'vitest';
import { StatementNames } from './postgres-engine.ts';

describe('StatementNames (server-side prepared statements for repeated SQL)', () => {
  it('names a text the second time it is seen, and keeps that name', () => {
    const names = new StatementNames();
    expect(names.nameOf('select 1')).toBeUndefined();
    const name = names.nameOf('select 1');
    expect(name).toMatch(/^closeloop_\d+$/);
    expect(names.nameOf('select 1')).toBe(name);
    expect(names.nameOf('select 2')).toBeUndefined();
    expect(names.nameOf('select 2')).not.toBe(name);
  });

  it('stays bounded when SQL is built at run time: past the bounds texts run unnamed', () => {
    const names = new StatementNames(3, 2);
    for (const sql of ['a', 'b', 'c', 'a', 'b']) names.nameOf(sql);
    expect(names.nameOf('c')).toBeUndefined(); // two named already
    expect(names.nameOf('d')).toBeUndefined();
    expect(names.nameOf('d')).toBeUndefined(); // never tracked: the tracking bound was reached
    expect(names.nameOf('a')).toBe('closeloop_1');
  });
});
