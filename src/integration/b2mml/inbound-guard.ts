/**
 * The first line of defence for XML from outside: size limit, UTF-8 only, and no DTD at all.
 * A B2MML document never needs a DOCTYPE, so any `<!DOCTYPE` or `<!ENTITY` is refused before a
 * parser sees the text: no external entity (XXE), no entity expansion (billion laughs), no
 * network. Parsers downstream also run with entity loading off, as a second wall.
 */
import { B2mmlError } from './errors.ts';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const DTD_MARKUP = /<!\s*(DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)\b/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Check raw inbound XML and return it as a string without BOM; throws a typed B2mmlError. */
export function guardInbound(xml: string | Uint8Array, maxBytes: number = DEFAULT_MAX_BYTES): string {
  let text: string;
  if (typeof xml === 'string') {
    if (xml.length > maxBytes || Buffer.byteLength(xml, 'utf8') > maxBytes) {
      throw new B2mmlError('too-large', `document is larger than ${maxBytes} bytes`, { maxBytes });
    }
    text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  } else if (xml instanceof Uint8Array) {
    if (xml.byteLength > maxBytes) {
      throw new B2mmlError('too-large', `document is larger than ${maxBytes} bytes`, { maxBytes });
    }
    if ((xml[0] === 0xff && xml[1] === 0xfe) || (xml[0] === 0xfe && xml[1] === 0xff)) {
      throw new B2mmlError('not-xml', 'UTF-16 documents are not accepted: send UTF-8');
    }
    try {
      text = utf8.decode(xml); // drops a UTF-8 BOM
    } catch {
      throw new B2mmlError('not-xml', 'document is not valid UTF-8');
    }
  } else {
    throw new B2mmlError('not-xml', 'document must be a string or bytes');
  }
  if (text.trim() === '') throw new B2mmlError('not-xml', 'document is empty');
  if (text.includes('\u0000')) throw new B2mmlError('not-xml', 'document contains NUL characters (not UTF-8 XML?)');
  const dtd = DTD_MARKUP.exec(text);
  if (dtd) {
    throw new B2mmlError(
      'external-entities',
      `document contains a ${dtd[1].toUpperCase()} declaration; DTDs and entities are refused`,
      { declaration: dtd[1].toUpperCase(), offset: dtd.index },
    );
  }
  return text;
}
