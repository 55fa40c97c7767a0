/**
 * Inbound `CancelOperationsSchedule` (from an outside ERP) and `ProcessOperationsPerformance`
 * (from an outside MES or line controller), read into plain values with the same safe reader as
 * the schedule (no DTD, no entities, size-limited). Codes stay the sender's: the caller translates.
 *
 * A performance is read per SegmentResponse: the operation's seq from its SegmentRequirementID (or
 * ID) `<request>-<seq>`, else its EquipmentActual's EquipmentID as the work centre; the good
 * quantity from SegmentData `GoodQuantity`; scrap from MaterialActuals keyed `Scrap`; consumption
 * from MaterialActuals `Consumed` (with their lot); SegmentState `Completed` ends the operation;
 * PersonnelActual gives the operator and labour minutes, EquipmentActual the machine minutes.
 * `Produced` actuals are not read: completing the last operation makes the output lot.
 */
import { B2mmlError } from './errors.ts';
import { children, parseNumber, readXml, textOf, type XmlElement } from './xml-reader.ts';

export interface ParsedCancel {
  id: string;
  requests: string[];
}

export interface ParsedReport {
  /** OperationsRequestID: the externalRef the work order was made for, or Closeloop's work order id. */
  ref: string;
  seq?: number;
  workCenter?: string;
  goodQty: number;
  scrapQty?: number;
  scrapReason?: string;
  uom?: string;
  complete: boolean;
  operator?: string;
  laborMinutes?: number;
  machineMinutes?: number;
  consumed: { itemCode: string; lot: string; qty: number; uom?: string }[];
}

function noun(element: XmlElement, root: string, name: string): XmlElement {
  const data = children(element, 'DataArea')[0];
  const nouns = children(data, name);
  if (nouns.length !== 1) throw new B2mmlError('missing-field', `${root}/DataArea: one ${name} is expected, found ${nouns.length}`, { path: `${root}/DataArea/${name}` });
  return nouns[0];
}

const idOf = (el: XmlElement, path: string) => {
  const v = textOf(el, 'ID');
  if (v === undefined) throw new B2mmlError('missing-field', `${path}/ID is missing`, { path: `${path}/ID` });
  return v;
};

export function parseCancelSchedule(xml: string | Uint8Array): ParsedCancel {
  const { root, element } = readXml(xml);
  if (root !== 'CancelOperationsSchedule') throw new B2mmlError('wrong-root', `expected a CancelOperationsSchedule document, not ${root}`, { root });
  const schedule = noun(element, root, 'OperationsSchedule');
  const requests = children(schedule, 'OperationsRequest').map((r, i) => idOf(r, `OperationsSchedule/OperationsRequest[${i + 1}]`));
  if (!requests.length) throw new B2mmlError('missing-field', 'OperationsSchedule/OperationsRequest is missing', { path: 'OperationsSchedule/OperationsRequest' });
  return { id: idOf(schedule, 'OperationsSchedule'), requests };
}

function quantity(el: XmlElement | undefined, path: string): { qty: number; uom?: string; key?: string } | undefined {
  if (!el) return undefined;
  const s = textOf(el, 'QuantityString') ?? textOf(el, 'ValueString');
  if (s === undefined) return undefined;
  const qty = parseNumber(s, path);
  if (qty < 0) throw new B2mmlError('invalid-value', `${path}: a quantity cannot be negative`, { path });
  return { qty, uom: textOf(el, 'UnitOfMeasure'), key: textOf(el, 'Key') };
}

function segment(ref: string, s: XmlElement, path: string): ParsedReport | null {
  const segId = textOf(s, 'SegmentRequirementID') ?? textOf(s, 'ID') ?? '';
  const m = /-(\d+)$/.exec(segId);
  const equipment = children(s, 'EquipmentActual')[0];
  const good = children(s, 'SegmentData').find((d) => textOf(d, 'ID') === 'GoodQuantity');
  const goodQ = quantity(children(good, 'Value')[0], `${path}/SegmentData[GoodQuantity]`);
  const actuals = children(s, 'MaterialActual').map((a, i) => ({ a, path: `${path}/MaterialActual[${i + 1}]`, use: textOf(a, 'MaterialUse') ?? '' }));
  let scrapQty = 0;
  let scrapUom: string | undefined;
  let scrapReason: string | undefined;
  const consumed: ParsedReport['consumed'] = [];
  for (const { a, path: p, use } of actuals) {
    const q = quantity(children(a, 'Quantity')[0], `${p}/Quantity`);
    if (use === 'Other' && q?.key === 'Scrap') {
      scrapQty += q.qty;
      scrapUom ??= q.uom;
      const prop = children(a, 'MaterialActualProperty').find((x) => textOf(x, 'ID') === 'ScrapReason');
      scrapReason ??= prop ? textOf(children(prop, 'Value')[0], 'ValueString') : undefined;
    } else if (use === 'Consumed' || use === 'Material Consumed') {
      const itemCode = textOf(a, 'MaterialDefinitionID');
      const lot = textOf(a, 'MaterialLotID');
      if (!itemCode || !lot || !q) throw new B2mmlError('missing-field', `${p}: a Consumed actual needs MaterialDefinitionID, MaterialLotID and Quantity`, { path: p });
      consumed.push({ itemCode, lot, qty: q.qty, ...(q.uom ? { uom: q.uom } : {}) });
    }
  }
  const complete = textOf(s, 'SegmentState') === 'Completed';
  if (!goodQ && scrapQty === 0 && !consumed.length && !complete) return null;
  const people = children(s, 'PersonnelActual');
  const minutes = people.map((p, i) => quantity(children(p, 'Quantity')[0], `${path}/PersonnelActual[${i + 1}]/Quantity`)?.qty ?? 0);
  const machine = quantity(children(equipment, 'Quantity')[0], `${path}/EquipmentActual/Quantity`);
  const operator = people.length ? textOf(people[0], 'PersonID') : undefined;
  const uom = goodQ?.uom ?? scrapUom;
  const workCenter = equipment ? textOf(equipment, 'EquipmentID') : undefined;
  return {
    ref,
    ...(m ? { seq: Number(m[1]) } : {}),
    ...(workCenter ? { workCenter } : {}),
    goodQty: goodQ?.qty ?? 0,
    ...(scrapQty > 0 ? { scrapQty } : {}),
    ...(scrapReason ? { scrapReason } : {}),
    ...(uom ? { uom } : {}),
    complete,
    ...(operator ? { operator } : {}),
    ...(people.length ? { laborMinutes: minutes.reduce((a, b) => a + b, 0) } : {}),
    ...(machine ? { machineMinutes: machine.qty } : {}),
    consumed,
  };
}

export function parseOperationsPerformance(xml: string | Uint8Array): { id: string; reports: ParsedReport[] } {
  const { root, element } = readXml(xml);
  if (root !== 'ProcessOperationsPerformance') throw new B2mmlError('wrong-root', `expected a ProcessOperationsPerformance document, not ${root}`, { root });
  const perf = noun(element, root, 'OperationsPerformance');
  const reports = children(perf, 'OperationsResponse').flatMap((r, i) => {
    const path = `OperationsPerformance/OperationsResponse[${i + 1}]`;
    const ref = textOf(r, 'OperationsRequestID') ?? idOf(r, path);
    return children(r, 'SegmentResponse').flatMap((s, j) => segment(ref, s, `${path}/SegmentResponse[${j + 1}]`) ?? []);
  });
  if (!reports.length) throw new B2mmlError('missing-field', 'OperationsPerformance reports nothing (no SegmentResponse with a quantity, consumption or completion)');
  return { id: idOf(perf, 'OperationsPerformance'), reports };
}

/** The root element of an inbound document (to pick its reader). */
export const rootOf = (xml: string | Uint8Array) => readXml(xml).root;
