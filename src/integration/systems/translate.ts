/**
 * Translation at the edge: every outside code in a canonical message goes through the system's
 * code maps (item, uom, workCenter, plant, customer); a quantity in an outside unit becomes the
 * item's stock unit (1 external unit = factor internal units, 6 decimals). The uom map's internal
 * unit must be the item's stock unit. Past this point only Closeloop's own codes exist.
 */
import { findWorkOrders, mesKnownItems } from '../../mes/index.ts';
import { mul, type Queryable } from '../../platform/index.ts';
import type { CodeKind, CodeMapRow } from './code-maps-model.ts';
import { lookUpCodes } from './code-maps-store.ts';
import type { Canonical, CanonicalReport, ShapeError } from './mappings-model.ts';

export interface Unmapped {
  kind: CodeKind;
  external: string;
}

export interface Translation {
  /** The message with internal codes and quantities in stock units (`uom` gone); null when something is unmapped. */
  translated: Canonical | null;
  unmapped: Unmapped[];
  errors: ShapeError[];
}

type Need = { kind: CodeKind; external: string | undefined };

function needs(c: Canonical): Need[] {
  switch (c.message) {
    case 'production-request':
      return c.items.flatMap((r) => [
        { kind: 'item', external: r.itemCode },
        { kind: 'uom', external: r.uom },
        { kind: 'plant', external: r.plant },
        { kind: 'customer', external: r.customer },
      ]);
    case 'order-change':
      return c.items.map((r) => ({ kind: 'uom', external: r.uom }));
    case 'order-cancel':
      return [];
    case 'performance':
      return c.items.flatMap((r) => [
        { kind: 'workCenter', external: r.workCenter },
        { kind: 'uom', external: r.uom },
        ...(r.consumed ?? []).flatMap((m): Need[] => [
          { kind: 'item', external: m.itemCode },
          { kind: 'uom', external: m.uom },
        ]),
      ]);
  }
}

/** The item each referenced work order makes (`ref:X` by externalRef of this system, `id:X` by id). */
async function itemsOfOrders(q: Queryable, system: string, refs: { externalRef?: string; workOrder?: string }[]) {
  const out = new Map<string, string>();
  const ids = refs.flatMap((r) => (r.workOrder ? [r.workOrder] : []));
  if (ids.length) for (const w of await findWorkOrders(q, { ids })) out.set(`id:${w.id}`, w.itemCode);
  for (const ref of new Set(refs.flatMap((r) => (r.externalRef ? [r.externalRef] : []))))
    for (const w of await findWorkOrders(q, { externalRef: ref })) if (w.top && w.externalSystem === system) out.set(`ref:${ref}`, w.itemCode);
  return out;
}

export async function translate(q: Queryable, system: string, c: Canonical): Promise<Translation> {
  const wanted = needs(c).filter((n): n is { kind: CodeKind; external: string } => n.external !== undefined);
  const maps = await lookUpCodes(q, system, wanted);
  const unmapped: Unmapped[] = [];
  const seen = new Set<string>();
  for (const n of wanted) {
    const key = `${n.kind}/${n.external}`;
    if (maps.has(key) || seen.has(key)) continue;
    seen.add(key);
    unmapped.push({ kind: n.kind, external: n.external });
  }
  if (unmapped.length) return { translated: null, unmapped, errors: [] };
  const map = (kind: CodeKind, external: string): CodeMapRow => maps.get(`${kind}/${external}`)!;
  const errors: ShapeError[] = [];
  // stock units of the items whose quantities may come in outside units
  const orderItems = c.message === 'order-change' || c.message === 'performance' ? await itemsOfOrders(q, system, c.items) : new Map<string, string>();
  const internalItems = [
    ...orderItems.values(),
    ...(c.message === 'production-request' ? c.items.map((r) => map('item', r.itemCode).internal) : []),
    ...(c.message === 'performance' ? c.items.flatMap((r) => (r.consumed ?? []).map((m) => map('item', m.itemCode).internal)) : []),
  ];
  const units = await mesKnownItems(q, [...new Set(internalItems)]);
  /** A quantity in the item's stock unit; without a uom it already is. */
  const inStock = (qty: number, uom: string | undefined, itemCode: string | undefined, path: string): number => {
    if (uom === undefined) return qty;
    const m = map('uom', uom);
    const stock = itemCode ? units.get(itemCode)?.uom : undefined;
    if (stock === undefined) return mul(qty, m.factor ?? 1); // no work order to check against: answered by the MES
    if (m.internal !== stock) errors.push({ path, message: `unit ${uom} maps to ${m.internal}, but item ${itemCode} is stocked in ${stock}` });
    return mul(qty, m.factor ?? 1);
  };
  const orderKey = (r: { externalRef?: string; workOrder?: string }) => (r.workOrder ? `id:${r.workOrder}` : `ref:${r.externalRef}`);
  let translated: Canonical;
  switch (c.message) {
    case 'production-request':
      translated = {
        message: c.message,
        items: c.items.map(({ uom, ...r }, i) => {
          const itemCode = map('item', r.itemCode).internal;
          return {
            ...r,
            itemCode,
            qty: inStock(r.qty, uom, itemCode, `requests.${i}.uom`),
            ...(r.plant === undefined ? {} : { plant: map('plant', r.plant).internal }),
            ...(r.customer === undefined ? {} : { customer: map('customer', r.customer).internal }),
          };
        }),
      };
      break;
    case 'order-change':
      translated = {
        message: c.message,
        items: c.items.map(({ uom, ...r }, i) => (r.qty === undefined ? r : { ...r, qty: inStock(r.qty, uom, orderItems.get(`ref:${r.externalRef}`), `${i}.uom`) })),
      };
      break;
    case 'order-cancel':
      translated = c;
      break;
    case 'performance':
      translated = {
        message: c.message,
        items: c.items.map(({ uom, ...r }, i): CanonicalReport => {
          const item = orderItems.get(orderKey(r));
          return {
            ...r,
            ...(r.workCenter === undefined ? {} : { workCenter: map('workCenter', r.workCenter).internal }),
            goodQty: uom === undefined ? r.goodQty : inStock(r.goodQty, uom, item, `${i}.uom`),
            ...(r.scrapQty === undefined ? {} : { scrapQty: inStock(r.scrapQty, uom, item, `${i}.uom`) }),
            ...(r.consumed === undefined
              ? {}
              : {
                  consumed: r.consumed.map(({ uom: u, ...m }, j) => {
                    const itemCode = map('item', m.itemCode).internal;
                    return { ...m, itemCode, qty: inStock(m.qty, u, itemCode, `${i}.consumed.${j}.uom`) };
                  }),
                }),
          };
        }),
      };
      break;
  }
  return { translated, unmapped: [], errors: [...new Map(errors.map((e) => [`${e.path}|${e.message}`, e])).values()] };
}
