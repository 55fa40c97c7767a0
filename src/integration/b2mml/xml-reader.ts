/**
 * Reading inbound XML safely: guard (size, UTF-8, no DTD) → well-formedness → parse to a tree in
 * which every element is an array (so one and many read the same) and every value stays a string
 * (ids such as `00123` keep their zeros). Namespace prefixes are dropped (`b2mml:ID` → `ID`).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { B2mmlError } from './errors.ts';
import { guardInbound } from './inbound-guard.ts';

/** An element of the parsed tree: child elements by name (always arrays), or its text. */
export type XmlElement = { [name: string]: XmlValue[] | undefined };
export type XmlValue = XmlElement | string;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true, // predefined entities only: DTDs are refused before parsing
  // Also decodes character references (&#x4E2D;), which fast-xml-parser 5 leaves alone otherwise;
  // it decodes in one pass, so `&amp;#x41;` stays the text `&#x41;`.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  maxNestedTags: 64,
});

export interface ReadXml {
  root: string;
  element: XmlElement;
}

/** Parse inbound XML into its root element name and tree; throws a typed B2mmlError. */
export function readXml(xml: string | Uint8Array, maxBytes?: number): ReadXml {
  const text = guardInbound(xml, maxBytes);
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    throw new B2mmlError('not-xml', `not well-formed XML: ${msg} (line ${line}, column ${col})`, { line, col });
  }
  let tree: XmlElement;
  try {
    tree = parser.parse(text) as XmlElement;
  } catch (e) {
    throw new B2mmlError('not-xml', `cannot parse XML: ${(e as Error).message}`);
  }
  const roots = Object.keys(tree);
  if (roots.length !== 1) throw new B2mmlError('not-xml', `expected one root element, found ${roots.length}`);
  const root = roots[0];
  const first = tree[root]?.[0];
  return { root, element: typeof first === 'object' ? first : {} };
}

/** Child elements named `name` (element children only). */
export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  if (!el || !Object.hasOwn(el, name)) return [];
  return (el[name] ?? []).map((v) => (typeof v === 'string' ? { '#text': [v] } : v));
}

/** The text of the first child `name`, trimmed; undefined when absent or empty. */
export function textOf(el: XmlElement | undefined, name: string): string | undefined {
  if (!el || !Object.hasOwn(el, name)) return undefined;
  const v: unknown = el[name]?.[0];
  // mixed content (text beside child elements) keeps its text under '#text'
  const inner: unknown = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['#text'] : v;
  const s = Array.isArray(inner) ? inner[0] : inner;
  const t = typeof s === 'string' ? s.trim() : typeof s === 'number' ? String(s) : undefined;
  return t === '' ? undefined : t;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal from free text (B2MML QuantityString is any string). */
export function parseNumber(s: string, path: string): number {
  const n = Number(s);
  if (!NUMBER.test(s) || !Number.isFinite(n)) {
    throw new B2mmlError('invalid-value', `${path}: "${s.slice(0, 40)}" is not a number`, { path, value: s.slice(0, 40) });
  }
  return n;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An xsd:dateTime (or date) as ISO-8601 UTC; without a zone it is taken as UTC. */
export function parseDateTime(s: string, path: string): string {
  const m = DATE_TIME.exec(s);
  const zoned = m && m[1] !== undefined && m[4] === undefined ? `${s}Z` : s;
  const d = m ? new Date(zoned) : new Date(NaN);
  if (Number.isNaN(d.getTime())) {
    throw new B2mmlError('invalid-value', `${path}: "${s.slice(0, 40)}" is not a date-time`, { path, value: s.slice(0, 40) });
  }
  return d.toISOString().replace('.000Z', 'Z');
}
