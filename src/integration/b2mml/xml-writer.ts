/**
 * Writing B2MML: value formatting (dateTime, decimal, duration), the common element shapes
 * (Quantity, ApplicationArea) and the serializer. Element objects are plain JS objects whose
 * key order IS the xs:sequence order of the schema, so builders list keys in schema order.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { B2mmlError } from './errors.ts';
import type { Instant } from './types.ts';

export const B2MML_NS = 'http://www.mesa.org/xml/B2MML';
export const B2MML_RELEASE = 'V0701';

/** A node of the element tree handed to the serializer. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] | undefined };

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

// Characters XML 1.0 does not allow at all (C0 controls except TAB, LF, CR; lone surrogates; U+FFFE/F).
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Free text, with characters XML cannot carry removed. */
export function text(s: string): string {
  return s.replace(NOT_XML_CHAR, '');
}

/** A required identifier: non-empty after trimming. */
export function id(value: string | undefined, field: string): string {
  const s = value === undefined ? '' : text(String(value)).trim();
  if (s === '') throw new B2mmlError('invalid-input', `${field} is required`, { field });
  return s;
}

/** xsd:dateTime in UTC, e.g. `2025-03-01T08:00:00Z` (milliseconds only when not zero). */
export function dateTime(value: Instant, field: string): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new B2mmlError('invalid-input', `${field} is not a date-time: ${String(value)}`, { field });
  }
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) throw new B2mmlError('invalid-input', `${field} is out of range: ${String(value)}`, { field });
  return d.toISOString().replace('.000Z', 'Z');
}

export const optDateTime = (value: Instant | undefined, field: string) =>
  value === undefined || value === null || value === '' ? undefined : dateTime(value, field);

/** A decimal without exponent, at most 6 places (the platform's quantity scale). */
export function decimal(n: number, field: string): string {
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) >= 1e15) {
    throw new B2mmlError('invalid-input', `${field} is not a finite number: ${String(n)}`, { field });
  }
  const s = n.toFixed(6).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** xsd:duration of a number of minutes, in seconds (only seconds may carry a fraction). */
export function duration(minutes: number, field: string): string {
  return `PT${decimal(Math.round(minutes * 60 * 1000) / 1000, field)}S`;
}

/** QuantityValueType: QuantityString, DataType, UnitOfMeasure, Key — in this order. Never negative. */
export function quantity(qty: number, uom: string | undefined, field: string, key?: string): XmlNode {
  if (qty < 0) throw new B2mmlError('invalid-input', `${field} cannot be negative: ${qty}`, { field });
  return {
    QuantityString: decimal(qty, field),
    DataType: 'decimal',
    UnitOfMeasure: uom === undefined ? undefined : id(uom, `${field} unit`),
    Key: key,
  };
}

/** ValueType: ValueString, DataType, UnitOfMeasure, Key. */
export function value(valueString: string, dataType: string, uom?: string, key?: string): XmlNode {
  return { ValueString: text(valueString), DataType: dataType, UnitOfMeasure: uom, Key: key };
}

/** The earliest or latest of some xsd:dateTime strings (undefined ones ignored). */
export function span(values: (string | undefined)[], pick: 'min' | 'max'): string | undefined {
  const defined = values.filter((v): v is string => v !== undefined).sort((a, b) => Date.parse(a) - Date.parse(b));
  return pick === 'min' ? defined[0] : defined.at(-1);
}

export interface ApplicationArea {
  createdAt: Instant;
  /** Sender/LogicalID; `Closeloop` when undefined, no Sender when null. */
  sender?: string | null;
  bodId?: string;
}

/** TransApplicationAreaType: Sender, Receiver*, CreationDateTime, Signature, BODID, UserArea. */
export function applicationArea(a: ApplicationArea, field = 'createdAt'): XmlNode {
  return {
    Sender: a.sender === null ? undefined : { LogicalID: text(a.sender ?? 'Closeloop') },
    CreationDateTime: dateTime(a.createdAt, field),
    BODID: a.bodId === undefined ? undefined : id(a.bodId, 'bodId'),
  };
}

/** Drop undefined members (and empty arrays) recursively, keeping key order. */
function prune(node: XmlNode | XmlNode[] | undefined): XmlNode | XmlNode[] | undefined {
  if (node === undefined) return undefined;
  if (Array.isArray(node)) {
    const items = node.map(prune).filter((x): x is XmlNode => x !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof node === 'string') return node;
  const out: Record<string, XmlNode | XmlNode[]> = {};
  for (const [k, v] of Object.entries(node)) {
    const p = prune(v);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

/**
 * Serialize a transaction document: `<root xmlns=B2MML releaseID="V0701">` with ApplicationArea
 * and DataArea (verb first, then the noun(s)).
 */
export function serialize(root: string, appArea: XmlNode, dataArea: XmlNode): string {
  const tree = {
    [root]: {
      '@_xmlns': B2MML_NS,
      '@_releaseID': B2MML_RELEASE,
      ApplicationArea: appArea,
      DataArea: dataArea,
    },
  };
  const body = builder.build(prune(tree)) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
