/**
 * XSD validation against the MESA B2MML V0701 schema set (root AllSchemas.xsd), in process with
 * libxml2-wasm. MESA's schemas ship inside the project (`schemas/b2mml-v0701/`, with MESA's
 * licence): their folder is `B2MML_SCHEMA_DIR`, else `<package root>/schemas/b2mml-v0701`, where
 * the package root is the nearest folder above this file holding a package.json (the same from
 * src/ and from the compiled dist/).
 *
 * The schema set is compiled once per process and kept (validator and its source document).
 * The 40 `xs:include`s are resolved by an input provider that serves only `.xsd` files inside
 * the schema folder: nothing else on disk, and never the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ParseOption,
  XmlDocument,
  XmlParseError,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
  type ErrorDetail,
} from 'libxml2-wasm';
import { B2mmlError } from './errors.ts';
import { guardInbound } from './inbound-guard.ts';
import type { ValidationResult } from './types.ts';

export const ROOT_SCHEMA = 'AllSchemas.xsd';

function findRepoRoot(from: string): string | undefined {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The folder of the B2MML schemas; throws `schema-missing` when it has no AllSchemas.xsd. */
export function b2mmlSchemaDir(env: NodeJS.ProcessEnv = process.env): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = findRepoRoot(here);
  const dir = env.B2MML_SCHEMA_DIR
    ? path.resolve(env.B2MML_SCHEMA_DIR)
    : root
      ? path.resolve(root, 'schemas', 'b2mml-v0701')
      : undefined;
  if (!dir || !fs.existsSync(path.join(dir, ROOT_SCHEMA))) {
    throw new B2mmlError(
      'schema-missing',
      `B2MML schemas not found: no ${ROOT_SCHEMA} in ${dir ?? '(no repository root above this file)'}; ` +
        'set B2MML_SCHEMA_DIR to the folder of the MESA B2MML V0701 schemas',
      { dir },
    );
  }
  return dir;
}

// Folders the input provider may serve .xsd files from (one per schema set loaded).
const servedDirs = new Set<string>();
let providerRegistered = false;

function servedPath(filename: string): string | undefined {
  let p: string;
  try {
    p = filename.startsWith('file:') ? fileURLToPath(filename) : filename;
  } catch {
    return undefined;
  }
  if (!path.isAbsolute(p) || path.extname(p).toLowerCase() !== '.xsd') return undefined;
  const resolved = path.resolve(p);
  for (const dir of servedDirs) {
    const rel = path.relative(dir, resolved);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return resolved;
  }
  return undefined;
}

function registerSchemaProvider(): void {
  if (providerRegistered) return;
  const ok = xmlRegisterInputProvider({
    match: (filename) => {
      const p = servedPath(filename);
      return p !== undefined && fs.existsSync(p);
    },
    open: (filename) => {
      const p = servedPath(filename);
      if (p === undefined) return undefined;
      try {
        return fs.openSync(p, 'r');
      } catch {
        return undefined;
      }
    },
    read: (fd, buf) => {
      try {
        return fs.readSync(fd, buf, 0, buf.byteLength, null);
      } catch {
        return -1;
      }
    },
    close: (fd) => {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
      return true;
    },
  });
  if (!ok) throw new B2mmlError('schema-error', 'libxml2 refused the schema input provider (callback table full)');
  providerRegistered = true;
}

interface LoadedSchema {
  dir: string;
  validator: XsdValidator;
  /** Kept alive with the validator: the compiled schema may point into it. */
  source: XmlDocument;
  loadMs: number;
}

const loaded = new Map<string, LoadedSchema>();

function formatDetail(d: ErrorDetail): string {
  const where = d.line > 0 ? `line ${d.line}${d.col > 0 ? `:${d.col}` : ''}: ` : '';
  return `${where}${d.message.trim()}`;
}

/**
 * Compile the schema set of `dir` (default: `b2mmlSchemaDir()`), once per folder and process.
 * Call at start-up to take the ~0.2 s out of the first request.
 */
export function loadB2mmlSchema(dir: string = b2mmlSchemaDir()): { dir: string; loadMs: number } {
  const key = path.resolve(dir);
  const cached = loaded.get(key);
  if (cached) return { dir: cached.dir, loadMs: cached.loadMs };
  const rootFile = path.join(key, ROOT_SCHEMA);
  if (!fs.existsSync(rootFile)) {
    throw new B2mmlError('schema-missing', `B2MML schemas not found: no ${ROOT_SCHEMA} in ${key}`, { dir: key });
  }
  const t0 = performance.now();
  servedDirs.add(key);
  registerSchemaProvider();
  let source: XmlDocument | undefined;
  try {
    source = XmlDocument.fromBuffer(fs.readFileSync(rootFile), {
      url: rootFile,
      option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE,
    });
    const validator = XsdValidator.fromDoc(source);
    const entry: LoadedSchema = { dir: key, validator, source, loadMs: performance.now() - t0 };
    loaded.set(key, entry);
    return { dir: key, loadMs: entry.loadMs };
  } catch (e) {
    source?.dispose();
    const details = e instanceof XmlValidateError || e instanceof XmlParseError ? e.details.map(formatDetail) : [];
    throw new B2mmlError(
      'schema-error',
      `cannot compile the B2MML schemas in ${key}: ${details[0] ?? (e as Error).message}`,
      { dir: key, errors: details.slice(0, 20) },
    );
  }
}

/**
 * Validate a document against the B2MML V0701 XSDs. Answers `{valid, errors}`; errors carry the
 * line and libxml2's message. A document with a DOCTYPE, over the size limit or not well-formed
 * is answered invalid (it is never parsed with entities). Throws only when the schemas are missing.
 */
export async function validateB2mml(
  xml: string | Uint8Array,
  options: { schemaDir?: string; maxBytes?: number } = {},
): Promise<ValidationResult> {
  const { dir } = loadB2mmlSchema(options.schemaDir);
  const { validator } = loaded.get(dir)!;
  let text: string;
  try {
    text = guardInbound(xml, options.maxBytes);
  } catch (e) {
    if (e instanceof B2mmlError) return { valid: false, errors: [`${e.code}: ${e.message}`] };
    throw e;
  }
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(text, {
      option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE,
    });
  } catch (e) {
    if (e instanceof XmlParseError) return { valid: false, errors: e.details.map(formatDetail) };
    return { valid: false, errors: [(e as Error).message] };
  }
  try {
    validator.validate(doc);
    return { valid: true, errors: [] };
  } catch (e) {
    if (e instanceof XmlValidateError) {
      const errors = e.details.map(formatDetail);
      return { valid: false, errors: errors.length > 0 ? errors : [e.message] };
    }
    throw e;
  } finally {
    doc.dispose();
  }
}
