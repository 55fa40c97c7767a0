/**
 * Inbound `ProcessOperationsSchedule` (also `Change…` / `Sync…`) from an outside ERP, read into
 * plain requests: each OperationsRequest names the item it produces (its one MaterialRequirement
 * `Produced`), the quantity, times, due date and the components it consumes. Refuses unsafe or
 * unusable documents with a B2mmlError whose code says why and whose details give the path.
 */
import { B2mmlError } from './errors.ts';
import { DUE_DATE_PROPERTY } from './operations-schedule.ts';
import type { ParsedMaterial, ParsedRequest, ParsedSchedule } from './types.ts';
import { children, parseDateTime, parseNumber, readXml, textOf, type XmlElement } from './xml-reader.ts';

const VERBS = {
  ProcessOperationsSchedule: 'Process',
  ChangeOperationsSchedule: 'Change',
  SyncOperationsSchedule: 'Sync',
} as const;

const PRODUCED = new Set(['Produced', 'Material Produced']);
const CONSUMED = new Set(['Consumed', 'Material Consumed']);

export interface ParseOptions {
  /** Largest accepted document in bytes; 5 MB by default. */
  maxBytes?: number;
}

function missing(path: string, what = path.split('/').at(-1)): B2mmlError {
  return new B2mmlError('missing-field', `${path}: ${what} is missing`, { path });
}

function required(el: XmlElement, name: string, path: string): string {
  const v = textOf(el, name);
  if (v === undefined) throw missing(`${path}/${name}`);
  return v;
}

function optionalTime(el: XmlElement, name: string, path: string): string | undefined {
  const v = textOf(el, name);
  return v === undefined ? undefined : parseDateTime(v, `${path}/${name}`);
}

function checkProduction(el: XmlElement, path: string): void {
  const type = textOf(el, 'OperationsType');
  if (type !== undefined && type !== 'Production') {
    throw new B2mmlError('unsupported', `${path}/OperationsType: only Production is accepted, not ${type}`, {
      path: `${path}/OperationsType`,
      value: type,
    });
  }
}

/** The segment requirements of a request, children included, in document order. */
function segments(el: XmlElement, path: string): { el: XmlElement; path: string }[] {
  const walk = (s: XmlElement, p: string): { el: XmlElement; path: string }[] => [
    { el: s, path: p },
    ...children(s, 'SegmentRequirementChild').flatMap((c, j) => walk(c, `${p}/SegmentRequirementChild[${j + 1}]`)),
  ];
  return children(el, 'SegmentRequirement').flatMap((s, i) => walk(s, `${path}/SegmentRequirement[${i + 1}]`));
}

interface Material {
  el: XmlElement;
  path: string;
  use: string;
}

function quantityOf(m: Material): { qty: number; uom?: string } {
  const q = children(m.el, 'Quantity')[0];
  const path = `${m.path}/Quantity/QuantityString`;
  const s = q ? textOf(q, 'QuantityString') : undefined;
  if (s === undefined) throw missing(path, 'the quantity');
  return { qty: parseNumber(s, path), uom: textOf(q, 'UnitOfMeasure') };
}

function itemOf(m: Material): string {
  const item = textOf(m.el, 'MaterialDefinitionID');
  if (item === undefined) throw missing(`${m.path}/MaterialDefinitionID`, 'the material definition (item code)');
  return item;
}

function dueDateOf(m: Material): string | undefined {
  const prop = children(m.el, 'MaterialRequirementProperty').find((p) => textOf(p, 'ID') === DUE_DATE_PROPERTY);
  const v = prop ? textOf(children(prop, 'Value')[0], 'ValueString') : undefined;
  return v === undefined ? undefined : parseDateTime(v, `${m.path}/MaterialRequirementProperty[ID=${DUE_DATE_PROPERTY}]`);
}

function request(el: XmlElement, path: string): ParsedRequest {
  const id = required(el, 'ID', path);
  checkProduction(el, path);
  const segs = segments(el, path);
  if (segs.length === 0) throw missing(`${path}/SegmentRequirement`);
  const materials: Material[] = segs.flatMap((s) =>
    children(s.el, 'MaterialRequirement').map((m, i) => ({
      el: m,
      path: `${s.path}/MaterialRequirement[${i + 1}]`,
      use: textOf(m, 'MaterialUse') ?? '',
    })),
  );
  const produced = materials.filter((m) => PRODUCED.has(m.use));
  if (produced.length === 0) {
    throw missing(`${path}/SegmentRequirement/MaterialRequirement[MaterialUse=Produced]`, `request ${id} names no Produced material`);
  }
  if (produced.length > 1) {
    throw new B2mmlError('unsupported', `${path}: request ${id} has ${produced.length} Produced materials; one is expected`, { path });
  }
  const out = produced[0];
  const { qty, uom } = quantityOf(out);
  if (qty <= 0) {
    throw new B2mmlError('invalid-value', `${out.path}/Quantity: the produced quantity must be positive`, { path: out.path, qty });
  }
  const consumed: ParsedMaterial[] = materials
    .filter((m) => CONSUMED.has(m.use))
    .map((m) => {
      const q = quantityOf(m);
      if (q.qty < 0) throw new B2mmlError('invalid-value', `${m.path}/Quantity: a consumed quantity cannot be negative`, { path: m.path });
      return { itemCode: itemOf(m), qty: q.qty, ...(q.uom === undefined ? {} : { uom: q.uom }) };
    });
  const start = optionalTime(el, 'StartTime', path);
  const end = optionalTime(el, 'EndTime', path);
  const dueDate = dueDateOf(out);
  return {
    id,
    producedItem: itemOf(out),
    qty,
    ...(uom === undefined ? {} : { uom }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    ...(dueDate === undefined ? {} : { dueDate }),
    consumed,
  };
}

/**
 * Read an inbound operations schedule. Never resolves entities nor touches the network: a
 * DOCTYPE/ENTITY is refused (`external-entities`), as are documents over `maxBytes` (`too-large`),
 * not well-formed (`not-xml`), of another kind (`wrong-root`), without a needed field
 * (`missing-field`), with a bad number or time (`invalid-value`) or beyond what Closeloop
 * handles (`unsupported`: several schedules, several products per request, non-Production).
 */
export function parseOperationsSchedule(xml: string | Uint8Array, options: ParseOptions = {}): ParsedSchedule {
  const { root, element } = readXml(xml, options.maxBytes);
  const verb = Object.hasOwn(VERBS, root) ? VERBS[root as keyof typeof VERBS] : undefined;
  if (!verb) {
    throw new B2mmlError('wrong-root', `expected a ProcessOperationsSchedule document, not ${root}`, { root });
  }
  const app = children(element, 'ApplicationArea')[0];
  const dataArea = children(element, 'DataArea')[0];
  if (!dataArea) throw missing(`${root}/DataArea`);
  const schedules = children(dataArea, 'OperationsSchedule');
  if (schedules.length === 0) throw missing(`${root}/DataArea/OperationsSchedule`);
  if (schedules.length > 1) {
    throw new B2mmlError('unsupported', `${schedules.length} OperationsSchedule nouns in one document; send one per document`);
  }
  const path = 'OperationsSchedule';
  const schedule = schedules[0];
  const id = required(schedule, 'ID', path);
  checkProduction(schedule, path);
  const requests = children(schedule, 'OperationsRequest');
  if (requests.length === 0) throw missing(`${path}/OperationsRequest`);
  const parsed = requests.map((r, i) => request(r, `${path}/OperationsRequest[${i + 1}]`));
  const seen = new Set<string>();
  for (const r of parsed) {
    if (seen.has(r.id)) throw new B2mmlError('invalid-value', `OperationsRequest ID ${r.id} appears twice`, { id: r.id });
    seen.add(r.id);
  }
  const createdAt = app ? textOf(app, 'CreationDateTime') : undefined;
  const bodId = app ? textOf(app, 'BODID') : undefined;
  const sender = app ? textOf(children(app, 'Sender')[0], 'LogicalID') : undefined;
  return {
    id,
    verb,
    ...(createdAt === undefined ? {} : { createdAt: parseDateTime(createdAt, `${root}/ApplicationArea/CreationDateTime`) }),
    ...(bodId === undefined ? {} : { bodId }),
    ...(sender === undefined ? {} : { sender }),
    requests: parsed,
  };
}
