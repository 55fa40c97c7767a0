/**
 * Turns MrpInput into flat, index-keyed arrays the planning loop can run over quickly.
 * Items are indexed in code order (so output needs no sort); demands and receipts are grouped
 * per item and sorted by day, then ref, so the result does not depend on input order.
 * Every reference and value is validated here: bad input throws MrpInputError.
 */
import { parseDate } from './calendar-date.ts';
import { MrpInputError } from './errors.ts';
import { lowLevelCodes } from './low-level-codes.ts';
import type { MrpInput } from './model.ts';
import { bomFactor, toMicro } from './quantity.ts';

/** Lot-sizing codes of the engine; 0 is lot-for-lot. */
export const LOT_FIXED = 1;
export const LOT_MINIMUM = 2;

export interface PreparedMrp {
  today: number;
  itemCount: number;
  /** sorted ascending (code-point order) */
  codes: string[];
  leadTime: Int32Array;
  lotRule: Uint8Array;
  lotQty: Float64Array;
  safetyStock: Float64Array;
  purchased: Uint8Array;
  hasBom: Uint8Array;
  onHand: Float64Array;
  bomStart: Int32Array;
  bomChild: Int32Array;
  /** qty × (1 + scrap) in 10^-12 units */
  bomFactor: Float64Array;
  /** item indexes, low-level code ascending, then code */
  planningOrder: Int32Array;
  /** distinct demand refs, sorted; a ref's id is its index */
  refs: string[];
  /** independent demands of item i: demandStart[i] .. demandStart[i+1]−1 */
  demandStart: Int32Array;
  demandDay: Int32Array;
  demandQty: Float64Array;
  demandRef: Int32Array;
  receiptStart: Int32Array;
  receiptDay: Int32Array;
  receiptQty: Float64Array;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function prepareMrp(input: MrpInput): PreparedMrp {
  const today = parseDate(input.today, 'today');
  let lastDay = Number.POSITIVE_INFINITY;
  if (input.horizonDays !== undefined) {
    if (!Number.isInteger(input.horizonDays) || input.horizonDays < 0) {
      throw new MrpInputError(`horizonDays must be a whole number ≥ 0, got ${String(input.horizonDays)}`);
    }
    lastDay = today + input.horizonDays;
  }

  const items = [...input.items].sort((a, b) => compareStrings(a.code, b.code));
  const itemCount = items.length;
  const codes = items.map((item) => item.code);
  const index = new Map<string, number>();
  const leadTime = new Int32Array(itemCount);
  const lotRule = new Uint8Array(itemCount);
  const lotQty = new Float64Array(itemCount);
  const safetyStock = new Float64Array(itemCount);
  const purchased = new Uint8Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    const item = items[i];
    if (typeof item.code !== 'string' || item.code === '') throw new MrpInputError('item without a code');
    if (index.has(item.code)) throw new MrpInputError(`item ${item.code} is listed twice`);
    index.set(item.code, i);
    if (!Number.isInteger(item.leadTimeDays) || item.leadTimeDays < 0) {
      throw new MrpInputError(`item ${item.code}: leadTimeDays must be a whole number ≥ 0`);
    }
    leadTime[i] = item.leadTimeDays;
    const lot = item.lotSizing ?? { rule: 'lot-for-lot' };
    if (lot.rule === 'fixed') {
      lotRule[i] = LOT_FIXED;
      lotQty[i] = toMicro(lot.qty, `item ${item.code} fixed lot`);
      if (lotQty[i] === 0) throw new MrpInputError(`item ${item.code}: a fixed lot must be > 0`);
    } else if (lot.rule === 'minimum') {
      lotRule[i] = LOT_MINIMUM;
      lotQty[i] = toMicro(lot.qty, `item ${item.code} minimum lot`);
    } else if (lot.rule !== 'lot-for-lot') {
      throw new MrpInputError(`item ${item.code}: unknown lot sizing rule '${String((lot as { rule: unknown }).rule)}'`);
    }
    safetyStock[i] = toMicro(item.safetyStock ?? 0, `item ${item.code} safety stock`);
    purchased[i] = (item.purchased ?? item.kind === 'raw') ? 1 : 0;
  }
  const dayOf = new Map<string, number>();
  const parseDay = (date: string, what: string): number => {
    let day = dayOf.get(date);
    if (day === undefined) dayOf.set(date, (day = parseDate(date, what)));
    return day;
  };
  const itemIndex = (code: string, where: string): number => {
    const i = index.get(code);
    if (i === undefined) throw new MrpInputError(`${where}: unknown item '${String(code)}'`);
    return i;
  };

  // BOMs → compressed adjacency, components in listed order
  const bomOf: (MrpInput['boms'][number] | undefined)[] = new Array(itemCount).fill(undefined);
  let edgeCount = 0;
  for (const bom of input.boms) {
    const p = itemIndex(bom.parent, 'BOM parent');
    if (bomOf[p]) throw new MrpInputError(`item ${bom.parent} has two BOMs`);
    bomOf[p] = bom;
    edgeCount += bom.components.length;
  }
  const bomStart = new Int32Array(itemCount + 1);
  const bomChild = new Int32Array(edgeCount);
  const factors = new Float64Array(edgeCount);
  const hasBom = new Uint8Array(itemCount);
  let e = 0;
  for (let p = 0; p < itemCount; p++) {
    bomStart[p] = e;
    const bom = bomOf[p];
    if (!bom) continue;
    hasBom[p] = 1;
    for (const component of bom.components) {
      const where = `BOM of ${bom.parent}, component ${String(component.itemCode)}`;
      bomChild[e] = itemIndex(component.itemCode, `BOM of ${bom.parent}`);
      factors[e] = bomFactor(toMicro(component.qty, where), toMicro(component.scrapFactor ?? 0, where), where);
      e++;
    }
  }
  bomStart[itemCount] = e;

  const level = lowLevelCodes(itemCount, bomStart, bomChild, codes);
  const planningOrder = Int32Array.from({ length: itemCount }, (_, i) => i).sort((a, b) => level[a] - level[b] || a - b);

  const onHand = new Float64Array(itemCount);
  for (const stock of input.onHand) {
    const i = itemIndex(stock.itemCode, 'on-hand');
    onHand[i] += toMicro(stock.qty, `on-hand of ${stock.itemCode}`);
  }

  // demands: validate, keep those in the horizon, sort by item, day, ref
  const demands: { item: number; day: number; qty: number; ref: string }[] = [];
  for (const demand of input.demands) {
    const where = `demand ${String(demand.ref)}`;
    if (typeof demand.ref !== 'string' || demand.ref === '') throw new MrpInputError(`demand of ${demand.itemCode} without a ref`);
    const item = itemIndex(demand.itemCode, where);
    const day = parseDay(demand.dueDate, `${where} dueDate`);
    const qty = toMicro(demand.qty, where);
    if (day <= lastDay && qty > 0) demands.push({ item, day, qty, ref: demand.ref });
  }
  // the default sort compares UTF-16 code units, as `<` does
  const refs = [...new Set(demands.map((d) => d.ref))].sort();
  const refId = new Map(refs.map((ref, id) => [ref, id]));
  const demandRefIds = demands.map((d) => refId.get(d.ref) as number);
  // order by item, day, ref on one numeric key where it fits, else compare fields
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  for (const d of demands) {
    if (d.day < minDay) minDay = d.day;
    if (d.day > maxDay) maxDay = d.day;
  }
  const dayRange = maxDay - minDay + 1;
  const order = Array.from({ length: demands.length }, (_, k) => k);
  if (itemCount * dayRange * refs.length < 2 ** 53) {
    const key = demands.map((d, k) => (d.item * dayRange + d.day - minDay) * refs.length + demandRefIds[k]);
    order.sort((a, b) => key[a] - key[b] || a - b);
  } else {
    order.sort((a, b) => demands[a].item - demands[b].item || demands[a].day - demands[b].day || demandRefIds[a] - demandRefIds[b] || a - b);
  }
  const demandStart = new Int32Array(itemCount + 1);
  const demandDay = new Int32Array(demands.length);
  const demandQty = new Float64Array(demands.length);
  const demandRef = new Int32Array(demands.length);
  for (let k = 0; k < demands.length; k++) {
    const d = demands[order[k]];
    demandStart[d.item + 1]++;
    demandDay[k] = d.day;
    demandQty[k] = d.qty;
    demandRef[k] = demandRefIds[order[k]];
  }
  for (let i = 0; i < itemCount; i++) demandStart[i + 1] += demandStart[i];

  const receipts: { item: number; day: number; qty: number; ref: string }[] = [];
  for (const receipt of input.scheduledReceipts) {
    const where = `scheduled receipt ${String(receipt.ref)}`;
    const item = itemIndex(receipt.itemCode, where);
    const day = parseDay(receipt.dueDate, `${where} dueDate`);
    const qty = toMicro(receipt.qty, where);
    if (day <= lastDay && qty > 0) receipts.push({ item, day, qty, ref: String(receipt.ref) });
  }
  receipts.sort((a, b) => a.item - b.item || a.day - b.day || compareStrings(a.ref, b.ref) || a.qty - b.qty);
  const receiptStart = new Int32Array(itemCount + 1);
  const receiptDay = new Int32Array(receipts.length);
  const receiptQty = new Float64Array(receipts.length);
  for (let k = 0; k < receipts.length; k++) {
    receiptStart[receipts[k].item + 1]++;
    receiptDay[k] = receipts[k].day;
    receiptQty[k] = receipts[k].qty;
  }
  for (let i = 0; i < itemCount; i++) receiptStart[i + 1] += receiptStart[i];

  return {
    today, itemCount, codes, leadTime, lotRule, lotQty, safetyStock, purchased, hasBom, onHand,
    bomStart, bomChild, bomFactor: factors, planningOrder, refs,
    demandStart, demandDay, demandQty, demandRef, receiptStart, receiptDay, receiptQty,
  };
}
