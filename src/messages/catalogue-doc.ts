import { z } from 'zod';
import { messageRoutes, messageSchemas, type MessageType } from './catalogue.ts';

/**
 * docs/messages.md, generated from the schemas so the catalogue an integrator reads is the one
 * the code validates (`npx tsx src/messages/catalogue-doc.ts > docs/messages.md`; a test fails
 * when the file is stale).
 */
export function messageCatalogueMarkdown(): string {
  const out: string[] = [
    '# Message catalogue',
    '',
    'The published language between the ERP and the MES (`src/messages/catalogue.ts`). A connector for an',
    'outside ERP or MES speaks these messages. Every message is an outbox row `{id, type, source,',
    'correlationId, payload, occurredAt}`; the correlation id of everything a sales order causes is the sales',
    'order id. Delivery is at least once, in order per correlation id; consumers deduplicate by message id.',
    'Names follow B2MML V0701 verbs and nouns; the XML forms are at `/api/v1/integration/b2mml/…`.',
    '',
    '| type | from → to | version |',
    '|---|---|---|',
  ];
  const types = Object.keys(messageSchemas) as MessageType[];
  for (const t of types) out.push(`| [${t}](#${t.toLowerCase()}) | ${messageRoutes[t].from.replace("|", " or ")} → ${messageRoutes[t].to.replace("|", " or ")} | ${messageRoutes[t].version} |`);
  for (const t of types) {
    out.push('', `## ${t}`, '', '```json', JSON.stringify(z.toJSONSchema(messageSchemas[t], { io: 'input' }), null, 2), '```');
  }
  return out.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(messageCatalogueMarkdown());
