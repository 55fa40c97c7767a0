/**
 * The demo's bicycle-wheel factory (`closeloop demo`, demo.ts): items, 3-level BOMs, six work
 * centres on two shifts, routings, customers, suppliers, opening stock in lots and approved sales
 * orders, made through the public HTTP API only.
 */

/** One HTTP API call of the demo; answers the JSON body, of the type the caller names. */
export type Call = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

const raw: [string, string, number, number][] = [
  // code, name, standard cost, opening stock
  ['RIM-622-AL', 'Rim 622 aluminium, 28 holes', 18.5, 600],
  ['RIM-584-AL', 'Rim 584 aluminium, 28 holes', 17.2, 400],
  ['SPOKE-262', 'Spoke stainless 262 mm', 0.35, 30_000],
  ['SPOKE-264', 'Spoke stainless 264 mm', 0.35, 30_000],
  ['SPOKE-248', 'Spoke stainless 248 mm', 0.34, 20_000],
  ['NIPPLE-14', 'Nipple brass 14 mm', 0.08, 60_000],
  ['HUB-SHELL-F', 'Front hub shell', 9.4, 500],
  ['HUB-SHELL-R', 'Rear hub shell', 13.1, 500],
  ['AXLE-F-100', 'Front axle 100 mm', 3.2, 500],
  ['AXLE-R-142', 'Rear axle 142 mm', 4.1, 500],
  ['BEARING-6001', 'Sealed bearing 6001', 1.2, 4_000],
  ['FREEHUB-HG', 'Freehub body HG', 11.0, 500],
  ['TYRE-700x28', 'Tyre 700x28c', 14.0, 600],
  ['TYRE-650Bx47', 'Tyre 650Bx47', 16.5, 400],
  ['TUBE-700', 'Inner tube 700c', 3.5, 600],
  ['TUBE-650B', 'Inner tube 650B', 3.6, 400],
  ['RIM-TAPE', 'Rim tape', 0.9, 2_000],
  ['SKEWER-QR', 'Quick-release skewer', 4.5, 1_200],
];
const semi: [string, string, [string, number][]][] = [
  ['HUB-ASSY-F', 'Front hub assembly', [['HUB-SHELL-F', 1], ['AXLE-F-100', 1], ['BEARING-6001', 2]]],
  ['HUB-ASSY-R', 'Rear hub assembly', [['HUB-SHELL-R', 1], ['AXLE-R-142', 1], ['BEARING-6001', 2], ['FREEHUB-HG', 1]]],
  ['LACED-F-700', 'Laced front wheel 700c', [['RIM-622-AL', 1], ['SPOKE-262', 28], ['NIPPLE-14', 28], ['HUB-ASSY-F', 1]]],
  ['LACED-R-700', 'Laced rear wheel 700c', [['RIM-622-AL', 1], ['SPOKE-264', 28], ['NIPPLE-14', 28], ['HUB-ASSY-R', 1]]],
  ['LACED-F-650B', 'Laced front wheel 650B', [['RIM-584-AL', 1], ['SPOKE-248', 28], ['NIPPLE-14', 28], ['HUB-ASSY-F', 1]]],
  ['LACED-R-650B', 'Laced rear wheel 650B', [['RIM-584-AL', 1], ['SPOKE-248', 28], ['NIPPLE-14', 28], ['HUB-ASSY-R', 1]]],
];
const finished: [string, string, [string, number][], number][] = [
  ['WHEEL-F-700', 'Front wheel 700c, ready to ride', [['LACED-F-700', 1], ['TYRE-700x28', 1], ['TUBE-700', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 24],
  ['WHEEL-R-700', 'Rear wheel 700c, ready to ride', [['LACED-R-700', 1], ['TYRE-700x28', 1], ['TUBE-700', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 24],
  ['WHEEL-F-650B', 'Front wheel 650B, ready to ride', [['LACED-F-650B', 1], ['TYRE-650Bx47', 1], ['TUBE-650B', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 16],
  ['WHEEL-R-650B', 'Rear wheel 650B, ready to ride', [['LACED-R-650B', 1], ['TYRE-650Bx47', 1], ['TUBE-650B', 1], ['RIM-TAPE', 1], ['SKEWER-QR', 1]], 16],
  ['WHEELSET-700', 'Wheel set 700c (front + rear)', [['WHEEL-F-700', 1], ['WHEEL-R-700', 1]], 0],
  ['WHEELSET-650B', 'Wheel set 650B (front + rear)', [['WHEEL-F-650B', 1], ['WHEEL-R-650B', 1]], 0],
];
const twoShifts = { shifts: [1, 2, 3, 4, 5].flatMap((day) => [{ day, from: '06:00', to: '14:00' }, { day, from: '14:00', to: '22:00' }]) };
const workCenters = [
  { code: 'HUB-PRESS', name: 'Hub bearing press', costPerHour: 38 },
  { code: 'LACE-1', name: 'Lacing machine', costPerHour: 55 },
  { code: 'TRUE-1', name: 'Tension and truing robot', costPerHour: 62 },
  { code: 'TYRE-1', name: 'Tyre mounting', costPerHour: 32 },
  { code: 'QC-1', name: 'Final inspection station', costPerHour: 28, laborCostPerHour: 34 },
  { code: 'PACK-1', name: 'Wheel-set packing', costPerHour: 22 },
];
const routings: Record<string, [string, string, number, number][]> = {
  'HUB-ASSY-F': [['Press bearings', 'HUB-PRESS', 10, 1.5]],
  'HUB-ASSY-R': [['Press bearings and freehub', 'HUB-PRESS', 10, 2]],
  'LACED-F-700': [['Lace', 'LACE-1', 15, 3], ['Tension and true', 'TRUE-1', 5, 4]],
  'LACED-R-700': [['Lace', 'LACE-1', 15, 3.5], ['Tension and true', 'TRUE-1', 5, 4.5]],
  'LACED-F-650B': [['Lace', 'LACE-1', 15, 3], ['Tension and true', 'TRUE-1', 5, 4]],
  'LACED-R-650B': [['Lace', 'LACE-1', 15, 3.5], ['Tension and true', 'TRUE-1', 5, 4.5]],
  'WHEEL-F-700': [['Tape, tyre and tube', 'TYRE-1', 5, 2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEEL-R-700': [['Tape, tyre and tube', 'TYRE-1', 5, 2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEEL-F-650B': [['Tape, tyre and tube', 'TYRE-1', 5, 2.2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEEL-R-650B': [['Tape, tyre and tube', 'TYRE-1', 5, 2.2], ['Final inspection', 'QC-1', 0, 1]],
  'WHEELSET-700': [['Pair and pack', 'PACK-1', 5, 1.5]],
  'WHEELSET-650B': [['Pair and pack', 'PACK-1', 5, 1.5]],
};
const customers = [
  ['VELO-BERLIN', 'Velo Berlin GmbH'],
  ['CHENGDU-CYCLES', '成都骑行车业有限公司'],
  ['ALPINE-BIKES', 'Alpine Bikes AG'],
  ['URBAN-RIDE', 'Urban Ride Ltd'],
];
const suppliers = [
  ['RIMCO', 'Rimco Extrusions'],
  ['SPOKEWORKS', 'Spokeworks (Taichung)'],
  ['HUBTECH', 'Hubtech Precision'],
  ['GRIPTYRE', 'Griptyre Rubber'],
];
const supplierOf = (code: string) =>
  code.startsWith('RIM') ? 'RIMCO' : code.startsWith('SPOKE') || code.startsWith('NIPPLE') ? 'SPOKEWORKS' : code.startsWith('TYRE') || code.startsWith('TUBE') ? 'GRIPTYRE' : 'HUBTECH';
const sellable = ['WHEEL-F-700', 'WHEEL-R-700', 'WHEEL-F-650B', 'WHEEL-R-650B', 'WHEELSET-700', 'WHEELSET-650B'];

const day = (d: Date) => d.toISOString().slice(0, 10);
const today = () => new Date();
const inDays = (n: number) => day(new Date(today().getTime() + n * 86_400_000));

/** The factory's master data, stock and orders, through the HTTP API only. */
export async function seedFactory(call: Call, log: (s: string) => void) {
  for (const [code, name, standardCost] of raw) await call('POST', '/api/v1/erp/items', { code, name, kind: 'raw', uom: 'pcs', standardCost, leadTimeDays: 7, reorderPoint: 0 });
  for (const [code, name] of semi) await call('POST', '/api/v1/erp/items', { code, name, kind: 'semi', uom: 'pcs', standardCost: 0, leadTimeDays: 1 });
  for (const [code, name] of finished) await call('POST', '/api/v1/erp/items', { code, name, kind: 'finished', uom: 'pcs', standardCost: 0, leadTimeDays: 2 });
  for (const [code, , components] of [...semi, ...finished]) await call('PUT', `/api/v1/erp/boms/${code}`, { components: components.map(([itemCode, qty]) => ({ itemCode, qty })) });
  await call('POST', '/api/v1/erp/boms/roll-up', {}).catch(() => undefined);
  for (const wc of workCenters) await call('POST', '/api/v1/mes/work-centers', { ...wc, plant: 'main', calendar: twoShifts });
  for (const [item, ops] of Object.entries(routings))
    await call('PUT', `/api/v1/mes/routings/${item}`, {
      operations: ops.map(([name, workCenter, setupMinutes, minutesPerUnit], i) => ({ seq: (i + 1) * 10, name, workCenter, setupMinutes, minutesPerUnit })),
    });
  for (const [code, name] of customers) await call('POST', '/api/v1/erp/customers', { code, name });
  for (const [code, name] of suppliers) await call('POST', '/api/v1/erp/suppliers', { code, name });
  const lotDay = day(today()).replaceAll('-', '');
  for (const [code, , unitCost, qty] of raw) {
    // two lots each, as they came in on two deliveries
    const first = Math.round(qty * 0.4);
    await call('POST', '/api/v1/erp/inventory/receipts', { itemCode: code, qty: first, lot: `${code}-${lotDay}-A`, supplier: supplierOf(code), unitCost });
    await call('POST', '/api/v1/erp/inventory/receipts', { itemCode: code, qty: qty - first, lot: `${code}-${lotDay}-B`, supplier: supplierOf(code), unitCost });
  }
  for (const [code, , , qty] of finished) if (qty) await call('POST', '/api/v1/erp/inventory/receipts', { itemCode: code, qty, lot: `${code}-OPEN`, unitCost: 60 });
  log(`  ${raw.length + semi.length + finished.length} items, ${workCenters.length} work centres, ${customers.length} customers, ${suppliers.length} suppliers, opening stock`);
  const orders: string[] = [];
  for (let i = 0; i < 12; i++) orders.push(await newOrder(call, i));
  log(`  ${orders.length} sales orders approved`);
  return orders;
}

/** The i-th sales order of the demo (a customer and a wheel in turn), approved; its id. */
export async function newOrder(call: Call, i: number) {
  const [customer] = customers[i % customers.length];
  const lines = [{ itemCode: sellable[i % sellable.length], qty: 6 + ((i * 7) % 5) * 3, dueDate: inDays(3 + (i % 9)) }];
  if (i % 3 === 0) lines.push({ itemCode: sellable[(i + 1) % sellable.length], qty: 8, dueDate: inDays(5 + (i % 7)) });
  const so = await call<{ id: string }>('POST', '/api/v1/erp/sales-orders', { customer, lines });
  await call('POST', `/api/v1/erp/sales-orders/${so.id}/approve`, {});
  return so.id;
}
