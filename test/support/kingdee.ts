import { readFileSync } from 'node:fs';
import { ok } from './factory.ts';
import type { TestApp } from './app.ts';

type Call = TestApp['call'];

/** The worked example of docs/integration.md: the files the guide shows are the ones the tests run. */
export const example = (file: string) => readFileSync(new URL(`../../docs/examples/kingdee/${file}`, import.meta.url), 'utf8');
export const exampleJson = (file: string) => JSON.parse(example(file));

export const CSV = { 'content-type': 'text/csv' };

/** System KD (a Kingdee-style ERP) with the example's code maps and mappings, over the wheel shop. */
export async function kingdeeSystem(admin: Call, code = 'KD') {
  await ok(admin('PUT', `/api/v1/integration/systems/${code}`, { name: 'Kingdee Cloud', role: 'erp' }));
  for (const kind of ['item', 'uom', 'plant', 'workCenter']) await ok(admin('PUT', `/api/v1/integration/systems/${code}/code-maps/${kind}`, example(`${kind}.csv`), CSV));
  const mappings = { 'production-order': 'production-request', 'order-change': 'order-change', 'order-cancel': 'order-cancel', report: 'performance' };
  for (const [name, message] of Object.entries(mappings))
    await ok(admin('PUT', `/api/v1/integration/systems/${code}/mappings/${name}`, { message, expression: example(`${name}.jsonata`) }));
}

/** The example production order with another bill number (and optionally other fields of its one line). */
export function productionOrder(billNo: string, line: Record<string, unknown> = {}) {
  const order = exampleJson('production-order.json');
  order.Model.FBillNo = billNo;
  Object.assign(order.Model.FTreeEntity[0], line);
  return order;
}
