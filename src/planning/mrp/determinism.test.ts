import { describe, expect, it } from 'vitest';
import { runMrp, type MrpInput } from './index.ts';

/** a small random plant: 4 levels, shared components, every lot rule, receipts and stock */
function randomPlant(seed: number): MrpInput {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const levels = [6, 8, 10, 12].map((size, level) =>
    Array.from({ length: size }, (_, k) => `L${level}-${String(k).padStart(2, '0')}`),
  );
  const input: MrpInput = { today: '2026-02-02', items: [], boms: [], demands: [], onHand: [], scheduledReceipts: [] };
  levels.forEach((codes, level) => {
    for (const code of codes) {
      const rule = pick(['lot-for-lot', 'fixed', 'minimum'] as const);
      input.items.push({
        code,
        kind: level === 0 ? 'finished' : level === 3 ? 'raw' : 'semi',
        leadTimeDays: Math.floor(random() * 6),
        lotSizing: rule === 'lot-for-lot' ? { rule } : { rule, qty: 5 + Math.floor(random() * 20) },
        safetyStock: random() < 0.2 ? 3 : 0,
      });
      if (level < 3) {
        const components = new Set<string>();
        while (components.size < 3) components.add(pick(levels[level + 1 + Math.floor(random() * (2 - level + 1))] ?? levels[3]));
        input.boms.push({
          parent: code,
          components: [...components].map((itemCode) => ({ itemCode, qty: 1 + Math.floor(random() * 3) / 2, scrapFactor: random() < 0.3 ? 0.05 : 0 })),
        });
      }
      if (random() < 0.4) input.onHand.push({ itemCode: code, qty: Math.floor(random() * 30) });
      if (random() < 0.3) input.scheduledReceipts.push({ itemCode: code, qty: 10, dueDate: `2026-02-${10 + Math.floor(random() * 10)}`, ref: `PO-${code}` });
    }
  });
  for (let k = 0; k < 60; k++) {
    const itemCode = pick(random() < 0.8 ? levels[0] : levels[1]);
    input.demands.push({ itemCode, qty: 1 + Math.floor(random() * 10), dueDate: `2026-03-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`, ref: `SO-${k}/1` });
  }
  return input;
}

function shuffled<T>(list: T[], seed: number): T[] {
  const copy = [...list];
  for (let k = copy.length - 1; k > 0; k--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (k + 1);
    [copy[k], copy[j]] = [copy[j], copy[k]];
  }
  return copy;
}

describe('determinism', () => {
  const input = randomPlant(42);

  it('gives the same plan for the same input, ordered by itemCode then dueDate', () => {
    const first = runMrp(input);
    expect(runMrp(input)).toEqual(first);
    expect(first.plannedOrders.length).toBeGreaterThan(20);
    const keys = first.plannedOrders.map((o) => [o.itemCode, o.dueDate]);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
    for (const order of first.plannedOrders) expect([...order.peggedTo].sort()).toEqual(order.peggedTo);
  });

  it('does not depend on the order of the input lists', () => {
    const reordered: MrpInput = {
      ...input,
      items: shuffled(input.items, 1),
      boms: shuffled(input.boms, 2),
      demands: shuffled(input.demands, 3),
      onHand: shuffled(input.onHand, 4),
      scheduledReceipts: shuffled(input.scheduledReceipts, 5),
    };
    expect(runMrp(reordered)).toEqual(runMrp(input));
  });

  it('keeps every item at or above its safety stock, re-checked independently level by level', () => {
    const { plannedOrders } = runMrp(input);
    const micro = (qty: number) => Math.round(qty * 1e6);
    const gross = new Map<string, Map<string, number>>(); // item → date → µ
    const add = (item: string, date: string, qty: number) => {
      const byDate = gross.get(item) ?? new Map<string, number>();
      byDate.set(date, (byDate.get(date) ?? 0) + qty);
      gross.set(item, byDate);
    };
    for (const d of input.demands) add(d.itemCode, d.dueDate, micro(d.qty));
    for (const order of plannedOrders) {
      const bom = input.boms.find((b) => b.parent === order.itemCode);
      if (order.kind !== 'make' || !bom) continue;
      for (const c of bom.components) add(c.itemCode, order.releaseDate, micro(order.qty * c.qty * (1 + (c.scrapFactor ?? 0))));
    }
    for (const item of input.items) {
      const events = new Map<string, number>(gross.get(item.code) ?? []);
      for (const [date, qty] of events) events.set(date, -qty);
      const supply = (date: string, qty: number) => events.set(date, (events.get(date) ?? 0) + qty);
      for (const r of input.scheduledReceipts.filter((x) => x.itemCode === item.code)) supply(r.dueDate, micro(r.qty));
      const orders = plannedOrders.filter((o) => o.itemCode === item.code);
      for (const o of orders) supply(o.dueDate, micro(o.qty));
      if (item.safetyStock) supply(input.today, 0);
      let balance = input.onHand.filter((s) => s.itemCode === item.code).reduce((sum, s) => sum + micro(s.qty), 0);
      for (const date of [...events.keys()].sort()) {
        balance += events.get(date) as number;
        expect(balance, `${item.code} on ${date}`).toBeGreaterThanOrEqual(micro(item.safetyStock ?? 0));
        // lot-for-lot orders only what is short: the balance after an order is exactly safety stock
        if ((item.lotSizing?.rule ?? 'lot-for-lot') === 'lot-for-lot' && orders.some((o) => o.dueDate === date)) {
          expect(balance, `${item.code} on ${date}`).toBe(micro(item.safetyStock ?? 0));
        }
      }
    }
  });
});
