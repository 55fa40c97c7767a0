import { describe, expect, it } from 'vitest';
import { issueFrom } from '../inventory/model.ts';
import { toStock } from './model.ts';

const screws = { itemCode: 'SCREW', stockUom: 'pcs', factors: new Map([['box', 50]]) };
const wire = { itemCode: 'WIRE', stockUom: 'kg', factors: new Map([['coil', 12.5]]) };

describe('units of measure', () => {
  it('converts to stock units, six decimals', () => {
    expect(toStock(screws, 3, 'box')).toEqual({ ok: true, qty: 150 });
    expect(toStock(screws, 7)).toEqual({ ok: true, qty: 7 });
    expect(toStock(wire, 0.1234567, 'coil')).toEqual({ ok: true, qty: 1.543209 });
  });
  it('refuses fractions of whole units, given or in stock, and unknown units', () => {
    expect(toStock(screws, 0.5)).toEqual({ ok: false, reason: 'fraction', uom: 'pcs' });
    expect(toStock(screws, 0.5, 'box')).toEqual({ ok: false, reason: 'fraction', uom: 'box' });
    expect(toStock(screws, 1, 'crate')).toEqual({ ok: false, reason: 'unknown-unit', uom: 'crate' });
    expect(toStock(wire, 0.5, 'kg')).toEqual({ ok: true, qty: 0.5 });
  });
});

describe('where an issue is taken from', () => {
  it('the lot’s warehouse first, then the others; what none holds is asked of the lot’s warehouse', () => {
    expect(issueFrom('LINE', [{ warehouse: 'A', qty: 5 }, { warehouse: 'LINE', qty: 3 }], 6)).toEqual([{ warehouse: 'LINE', qty: 3 }, { warehouse: 'A', qty: 3 }]);
    expect(issueFrom('LINE', [{ warehouse: 'LINE', qty: 3 }], 4)).toEqual([{ warehouse: 'LINE', qty: 4 }]);
    expect(issueFrom('MAIN', [], 2)).toEqual([{ warehouse: 'MAIN', qty: 2 }]);
  });
});
