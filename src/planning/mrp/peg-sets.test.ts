import { describe, expect, it } from 'vitest';
import { PegSets } from './peg-sets.ts';

describe('pegging sets', () => {
  const refCount = 100;
  const names = Array.from({ length: refCount }, (_, r) => `R${String(r).padStart(3, '0')}`);

  it('unions few sets by merging and many by marking, across pool pages, always sorted and distinct', () => {
    const pegs = new PegSets(refCount);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const expected = new Map<number, Set<number>>();
    for (let r = 0; r < refCount; r++) expected.set(r, new Set([r]));
    const ids = [...expected.keys()];
    // enough unions of ~60 members to fill more than one 4096-entry page
    for (let round = 0; round < 400; round++) {
      const parts = Array.from({ length: 1 + random(round % 2 === 0 ? 4 : 14) }, () => ids[random(ids.length)]);
      pegs.beginUnion();
      const union = new Set<number>();
      for (const part of parts) {
        pegs.addToUnion(part);
        for (const ref of expected.get(part) as Set<number>) union.add(ref);
      }
      const id = pegs.endUnion();
      expected.set(id, union);
      ids.push(id);
    }
    for (const [id, members] of expected) {
      expect(pegs.members(id, names)).toEqual([...members].sort((a, b) => a - b).map((r) => names[r]));
    }
    expect(Math.max(...[...expected.values()].map((s) => s.size))).toBeGreaterThan(50);
  });

  it('reuses a set unchanged, and gives the empty set for no parts', () => {
    const pegs = new PegSets(refCount);
    pegs.beginUnion();
    expect(pegs.endUnion()).toBe(pegs.empty);
    pegs.beginUnion();
    pegs.addToUnion(5);
    pegs.addToUnion(pegs.empty);
    pegs.addToUnion(5);
    expect(pegs.endUnion()).toBe(5);
    pegs.beginUnion();
    pegs.addToUnion(9);
    pegs.addToUnion(3);
    expect(pegs.endUnionAsMembers(names)).toEqual(['R003', 'R009']);
  });
});
