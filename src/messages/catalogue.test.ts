import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessage } from './catalogue.ts';
import { messageCatalogueMarkdown } from './catalogue-doc.ts';

describe('message catalogue', () => {
  it('docs/messages.md is generated from the schemas (run: npx tsx src/messages/catalogue-doc.ts > docs/messages.md)', () => {
    expect(readFileSync(new URL('../../docs/messages.md', import.meta.url), 'utf8')).toBe(messageCatalogueMarkdown());
  });

  it('refuses a payload that does not match its schema', () => {
    expect(() => parseMessage('ProcessMaterialActual', { lot: 'L1' })).toThrow();
    expect(parseMessage('CancelOperationsSchedule', { salesOrderId: 'SO-1', changeId: 'C-1' })).toEqual({ salesOrderId: 'SO-1', changeId: 'C-1' });
  });
});
