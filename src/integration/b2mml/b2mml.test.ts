import { beforeAll, describe, expect, it } from 'vitest';
import {
  b2mmlSchemaDir,
  buildAcknowledgeOperationsSchedule,
  buildOperationsPerformance,
  buildOperationsSchedule,
  buildRespondOperationsSchedule,
  loadB2mmlSchema,
  parseOperationsSchedule,
  validateB2mml,
  type PerformanceDoc,
  type ScheduleDoc,
} from './index.ts';
import { codeOf } from './b2mml-error-code.test-support.ts';

const schedule: ScheduleDoc = {
  id: 'SO-1001',
  createdAt: '2025-03-01T08:00:00Z',
  workOrders: [
    {
      id: 'WO-1',
      itemCode: 'BIKE-26',
      qty: 10,
      uom: 'pcs',
      plannedStart: '2025-03-02T06:00:00Z',
      plannedEnd: '2025-03-03T14:00:00Z',
      dueDate: '2025-03-05',
      operations: [
        { seq: 10, name: 'Weld & cut', workCenter: 'WC-WELD', plannedStart: '2025-03-02T06:00:00Z', plannedEnd: '2025-03-02T10:00:00Z', setupMinutes: 30, minutesPerUnit: 2.5 },
        { seq: 20, name: 'Paint', workCenter: 'WC-PAINT' },
        { seq: 30, name: 'Assemble', workCenter: 'WC-ASM', minutesPerUnit: 1 / 3 },
      ],
      consumed: [
        { itemCode: 'FRAME-26', qty: 10, uom: 'pcs' },
        { itemCode: 'PAINT-RED', qty: 1.25, uom: 'l', operationSeq: 20 },
        { itemCode: '00123', qty: 40, uom: 'pcs', operationSeq: 30 },
      ],
    },
    {
      id: 'WO-2',
      itemCode: 'WHEEL-26',
      qty: 20,
      uom: 'pcs',
      plannedStart: '2025-03-01T22:00:00+08:00',
      operations: [{ seq: 10, name: 'Lace', workCenter: 'WC-WHEEL', setupMinutes: 10, minutesPerUnit: 6 }],
      consumed: [
        { itemCode: 'RIM-26', qty: 20, uom: 'pcs' },
        { itemCode: 'SPOKE', qty: 720, uom: 'pcs' },
      ],
    },
  ],
};

const performance: PerformanceDoc = {
  id: 'WO-1',
  createdAt: new Date('2025-03-03T15:00:00Z'),
  operationsScheduleId: 'SO-1001',
  workOrders: [
    {
      id: 'WO-1',
      itemCode: 'BIKE-26',
      uom: 'pcs',
      state: 'Completed',
      actualStart: '2025-03-02T06:05:00Z',
      actualEnd: '2025-03-03T13:40:00Z',
      operations: [
        {
          seq: 10, name: 'Weld & cut', workCenter: 'WC-WELD', equipmentId: 'ROBOT-1', state: 'Completed',
          actualStart: '2025-03-02T06:05:00Z', actualEnd: '2025-03-02T09:55:00Z',
          labour: [{ personId: 'OP-7', minutes: 230 }], machineMinutes: 200, goodQty: 10,
          scrapQty: 1, scrapReason: 'porosity <weld>',
        },
        { seq: 20, name: 'Paint', workCenter: 'WC-PAINT', state: 'Completed', labour: [{ personId: 'OP-8', minutes: 95.5 }], machineMinutes: 90 },
        { seq: 30, name: 'Assemble', workCenter: 'WC-ASM', state: 'Completed', labour: [{ personId: 'OP-9', minutes: 60 }], goodQty: 9 },
      ],
      consumed: [
        { itemCode: 'FRAME-26', lotId: 'L-FR-1', qty: 6, uom: 'pcs' },
        { itemCode: 'FRAME-26', lotId: 'L-FR-2', qty: 5, uom: 'pcs' },
        { itemCode: 'PAINT-RED', lotId: 'L-PT-9', qty: 1.3, uom: 'l', operationSeq: 20 },
      ],
      produced: [{ lotId: 'L-BIKE-1', qty: 9 }],
    },
  ],
};

const count = (xml: string, tag: string) => xml.split(`<${tag}>`).length - 1;

beforeAll(() => {
  loadB2mmlSchema();
});

describe('B2MML documents are valid against the V0701 XSDs', () => {
  it('a ProcessOperationsSchedule of two work orders with operations and components', async () => {
    const xml = buildOperationsSchedule(schedule);
    expect(await validateB2mml(xml)).toEqual({ valid: true, errors: [] });
    expect(count(xml, 'OperationsRequest')).toBe(2);
    expect(count(xml, 'SegmentRequirement')).toBe(4);
    expect(count(xml, 'MaterialUse')).toBe(7); // 5 consumed + 2 produced
    expect(xml).toContain('<OperationsType>Production</OperationsType>');
    expect(xml).toContain('<EquipmentID>WC-PAINT</EquipmentID>');
  });

  it('a ProcessOperationsPerformance with personnel, equipment, lots and scrap', async () => {
    const xml = buildOperationsPerformance(performance);
    expect(await validateB2mml(xml)).toEqual({ valid: true, errors: [] });
    expect(xml).toContain('<Endtime>2025-03-03T13:40:00Z</Endtime>');
    expect(xml).toContain('<MaterialLotID>L-FR-2</MaterialLotID>');
    expect(xml).toContain('<MaterialUse OtherValue="Scrap">Other</MaterialUse>');
    expect(count(xml, 'PersonnelActual')).toBe(3);
  });

  it('the Acknowledge and Respond answers', async () => {
    const answer = {
      id: 'SO-EXT-7',
      createdAt: '2025-03-01T08:00:01Z',
      original: { createdAt: '2025-03-01T07:59:00Z', bodId: 'BOD-1', sender: 'SAP-ECC' },
      requests: [
        { id: 'R-1', workOrderIds: ['WO-10', 'WO-11'], status: 'accepted' as const },
        { id: 'R-2', workOrderIds: [], status: 'rejected' as const, reason: "unknown item 'X-9'" },
      ],
    };
    expect(await validateB2mml(buildAcknowledgeOperationsSchedule(answer))).toEqual({ valid: true, errors: [] });
    expect(await validateB2mml(buildRespondOperationsSchedule(answer))).toEqual({ valid: true, errors: [] });
  });

  it('a broken document is reported invalid, with the element named', async () => {
    const good = buildOperationsPerformance(performance);
    const wrongCase = good.replace('<Endtime>', '<EndTime>').replace('</Endtime>', '</EndTime>');
    const result = await validateB2mml(wrongCase);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toMatch(/EndTime.*not expected/);

    const noSegmentIds = buildOperationsSchedule(schedule).replace(/<OperationsSegmentID>[^<]*<\/OperationsSegmentID>/g, '');
    expect((await validateB2mml(noSegmentIds)).valid).toBe(false);
    expect((await validateB2mml('<ProcessOperationsSchedule')).valid).toBe(false);
  });

  it('a missing schema folder is a clear error', async () => {
    expect(() => b2mmlSchemaDir({ B2MML_SCHEMA_DIR: '/nonexistent/b2mml' })).toThrow(/B2MML_SCHEMA_DIR/);
    await expect(validateB2mml('<a/>', { schemaDir: '/nonexistent/b2mml' })).rejects.toMatchObject({ code: 'schema-missing' });
  });
});

describe('reading an inbound OperationsSchedule', () => {
  it('round-trips the schedule Closeloop writes', () => {
    const parsed = parseOperationsSchedule(buildOperationsSchedule(schedule));
    expect(parsed).toEqual({
      id: 'SO-1001',
      verb: 'Process',
      createdAt: '2025-03-01T08:00:00Z',
      sender: 'Closeloop',
      requests: [
        {
          id: 'WO-1',
          producedItem: 'BIKE-26',
          qty: 10,
          uom: 'pcs',
          start: '2025-03-02T06:00:00Z',
          end: '2025-03-03T14:00:00Z',
          dueDate: '2025-03-05T00:00:00Z',
          consumed: [
            { itemCode: 'FRAME-26', qty: 10, uom: 'pcs' },
            { itemCode: 'PAINT-RED', qty: 1.25, uom: 'l' },
            { itemCode: '00123', qty: 40, uom: 'pcs' },
          ],
        },
        {
          id: 'WO-2',
          producedItem: 'WHEEL-26',
          qty: 20,
          uom: 'pcs',
          start: '2025-03-01T14:00:00Z',
          consumed: [
            { itemCode: 'RIM-26', qty: 20, uom: 'pcs' },
            { itemCode: 'SPOKE', qty: 720, uom: 'pcs' },
          ],
        },
      ],
    });
  });

  it('decodes entities and character references once, and keeps ids as text', () => {
    const xml = buildOperationsSchedule({
      ...schedule,
      id: '007 & <co>',
      workOrders: [{ ...schedule.workOrders[1], itemCode: '轮子-26' }],
    }).replace('轮子-26', '&#x8F6E;&#23376;-26');
    const parsed = parseOperationsSchedule(xml);
    expect(parsed.id).toBe('007 & <co>');
    expect(parsed.requests[0].producedItem).toBe('轮子-26');
    const literal = xml.replace('<ID>007 &amp; &lt;co&gt;</ID>', '<ID>&amp;#x41;</ID>');
    expect(parseOperationsSchedule(literal).id).toBe('&#x41;');
  });

  it('accepts namespace prefixes, as outside ERPs write them', async () => {
    const prefixed = buildOperationsSchedule(schedule)
      .replace('xmlns="http://www.mesa.org/xml/B2MML"', 'xmlns:b2mml="http://www.mesa.org/xml/B2MML"')
      .replace(/<(\/?)(?=[A-Za-z])/g, '<$1b2mml:');
    expect(prefixed).toContain('<b2mml:OperationsRequest>');
    expect((await validateB2mml(prefixed)).valid).toBe(true);
    expect(parseOperationsSchedule(prefixed)).toEqual(parseOperationsSchedule(buildOperationsSchedule(schedule)));

    const sap = `<?xml version="1.0" encoding="UTF-8"?>
      <ns0:ProcessOperationsSchedule xmlns:ns0="http://www.mesa.org/xml/B2MML" releaseID="V0701">
        <ns0:ApplicationArea><ns0:CreationDateTime>2025-04-01T10:00:00</ns0:CreationDateTime></ns0:ApplicationArea>
        <ns0:DataArea><ns0:Process/>
          <ns0:OperationsSchedule><ns0:ID>4500017</ns0:ID>
            <ns0:OperationsRequest><ns0:ID>000100</ns0:ID>
              <ns0:SegmentRequirement><ns0:ID>0010</ns0:ID>
                <ns0:ProcessSegmentID>PP01</ns0:ProcessSegmentID>
                <ns0:OperationsDefinitionID>R1</ns0:OperationsDefinitionID><ns0:OperationsSegmentID>0010</ns0:OperationsSegmentID>
                <ns0:MaterialRequirement><ns0:ID>1</ns0:ID><ns0:MaterialDefinitionID>BIKE-26</ns0:MaterialDefinitionID>
                  <ns0:MaterialUse>Produced</ns0:MaterialUse>
                  <ns0:Quantity><ns0:QuantityString> 5.000 </ns0:QuantityString><ns0:UnitOfMeasure>ST</ns0:UnitOfMeasure></ns0:Quantity>
                </ns0:MaterialRequirement>
              </ns0:SegmentRequirement>
            </ns0:OperationsRequest>
          </ns0:OperationsSchedule>
        </ns0:DataArea>
      </ns0:ProcessOperationsSchedule>`;
    expect((await validateB2mml(sap)).errors).toEqual([]);
    expect(parseOperationsSchedule(sap)).toEqual({
      id: '4500017',
      verb: 'Process',
      createdAt: '2025-04-01T10:00:00Z',
      requests: [{ id: '000100', producedItem: 'BIKE-26', qty: 5, uom: 'ST', consumed: [] }],
    });
  });
});

describe('inbound errors say what is wrong', () => {
  const base = buildOperationsSchedule(schedule);

  it('too large, not XML, wrong root', () => {
    expect(codeOf(() => parseOperationsSchedule(base, { maxBytes: 1000 }))).toBe('too-large');
    expect(codeOf(() => parseOperationsSchedule('hello'))).toBe('not-xml');
    expect(codeOf(() => parseOperationsSchedule('<a><b></a>'))).toBe('not-xml');
    expect(codeOf(() => parseOperationsSchedule(''))).toBe('not-xml');
    expect(codeOf(() => parseOperationsSchedule(Uint8Array.from([0xff, 0xfe, 0x3c, 0x00])))).toBe('not-xml');
    expect(codeOf(() => parseOperationsSchedule(buildOperationsPerformance(performance)))).toBe('wrong-root');
  });

  it('missing fields and bad values name the place', () => {
    const noProduced = base.replace(/<MaterialUse>Produced<\/MaterialUse>/, '<MaterialUse>Consumable</MaterialUse>');
    expect(() => parseOperationsSchedule(noProduced)).toThrow(/OperationsRequest\[1\].*Produced/);
    expect(codeOf(() => parseOperationsSchedule(noProduced))).toBe('missing-field');
    expect(codeOf(() => parseOperationsSchedule(base.replace('<ID>SO-1001</ID>', '')))).toBe('missing-field');
    expect(codeOf(() => parseOperationsSchedule(base.replace('<QuantityString>10</QuantityString>', '<QuantityString>ten</QuantityString>')))).toBe('invalid-value');
    expect(codeOf(() => parseOperationsSchedule(base.replace('2025-03-02T06:00:00Z', 'tomorrow')))).toBe('invalid-value');
    const maintenance = base.replace('<OperationsType>Production</OperationsType>', '<OperationsType>Maintenance</OperationsType>');
    expect(codeOf(() => parseOperationsSchedule(maintenance))).toBe('unsupported');
  });

  it('errors carry the HTTP status a route answers with', () => {
    expect(() => parseOperationsSchedule('<x/>')).toThrow(expect.objectContaining({ code: 'wrong-root', status: 422 }));
    expect(() => parseOperationsSchedule('<!DOCTYPE x><x/>')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
