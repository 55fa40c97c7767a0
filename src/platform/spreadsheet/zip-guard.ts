import yauzl from 'yauzl';
import { AppError, badRequest, unprocessable } from '../kernel/index.ts';

/** Bounds of an .xlsx upload, checked before anything is inflated for the workbook reader. */
export const ZIP_LIMITS = {
  entries: 1_000,
  /** Uncompressed bytes of one entry, and of all together. */
  entryBytes: 32 * 1024 * 1024,
  totalBytes: 48 * 1024 * 1024,
  /** Uncompressed / compressed of an entry larger than `ratioFrom` bytes. */
  ratio: 100,
  ratioFrom: 1024 * 1024,
};

const tooLarge = (message: string, details: Record<string, unknown>) => new AppError('payload_too_large', message, details);

const open = (buffer: Buffer) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, zip) => (err || !zip ? reject(err) : resolve(zip))),
  );

/**
 * Reads the zip's central directory and refuses (413) entries whose declared size or compression
 * ratio is beyond the bounds, then inflates each entry once into nothing, counting: an entry that
 * inflates to more than it declared (or past the bounds) is refused before the workbook reader
 * ever sees the file. Memory stays at one chunk at a time.
 */
export async function checkZip(buffer: Buffer, limits = ZIP_LIMITS): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(buffer);
  } catch (e) {
    throw badRequest(`not a valid .xlsx workbook: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    if (zip.entryCount > limits.entries) throw tooLarge(`the workbook has ${zip.entryCount} parts (at most ${limits.entries})`, { entries: zip.entryCount });
    const entries: yauzl.Entry[] = [];
    let declared = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const size = entry.uncompressedSize;
        const ratio = size / Math.max(1, entry.compressedSize);
        declared += size;
        if (size > limits.entryBytes) return reject(tooLarge(`part ${entry.fileName} would inflate to ${size} bytes (at most ${limits.entryBytes})`, { part: entry.fileName, size }));
        if (size > limits.ratioFrom && ratio > limits.ratio)
          return reject(tooLarge(`part ${entry.fileName} is compressed ${Math.round(ratio)}:1 (at most ${limits.ratio}:1): refused as a zip bomb`, { part: entry.fileName, ratio: Math.round(ratio) }));
        if (declared > limits.totalBytes) return reject(tooLarge(`the workbook would inflate to more than ${limits.totalBytes} bytes`, { totalBytes: declared }));
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (e: Error) => reject(badRequest(`not a valid .xlsx workbook: ${e.message}`)));
      zip.readEntry();
    });
    let inflated = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      await new Promise<void>((resolve, reject) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(badRequest(`not a valid .xlsx workbook: ${err?.message ?? 'unreadable part'}`));
          stream.on('data', (chunk: Buffer) => {
            inflated += chunk.length;
            if (inflated > limits.totalBytes) {
              stream.destroy();
              reject(tooLarge(`the workbook inflates to more than ${limits.totalBytes} bytes`, { totalBytes: inflated }));
            }
          });
          stream.on('error', (e: Error) =>
            reject(
              /too many bytes/.test(e.message)
                ? unprocessable(`part ${entry.fileName} inflates to more than it declares (${entry.uncompressedSize} bytes): refused`, { part: entry.fileName })
                : badRequest(`not a valid .xlsx workbook: ${e.message}`),
            ),
          );
          stream.on('end', () => resolve());
        });
      });
    }
  } finally {
    zip.close();
  }
}
