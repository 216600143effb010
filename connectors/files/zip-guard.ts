/**
 * An XLSX file is a zip archive, and a zip can unpack to a thousand times
 * its size. Before any XML is parsed the archive's central directory is
 * judged (entry count, declared uncompressed total, ratio per entry), and
 * every part is then read through yauzl, which ends a part the moment it
 * inflates past the size the directory declared. Parts are found by the
 * central directory only, never by scanning local headers, so an archive
 * cannot show the checks one set of entries and the parser another.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FileError } from './file-error.js';
import { readBytes } from './safe-open.js';
import type { ZipLimits } from './limits.js';

export interface ZipEntryFacts {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  encrypted: boolean;
  /** 0 stored, 8 deflate: the only two a workbook uses. */
  method: number;
}

/** The reason to refuse an archive with these entries, or null. Pure. */
export function judgeZip(entries: readonly ZipEntryFacts[], limits: ZipLimits): FileError | null {
  if (entries.length > limits.maxEntries) return new FileError('FILE_ZIP_BOMB', { entries: entries.length, limit: limits.maxEntries });
  let total = 0;
  for (const e of entries) {
    if (e.encrypted) return new FileError('FILE_XLSX_INVALID', { entry: e.name, problem: 'encrypted' });
    if (e.method !== 0 && e.method !== 8) return new FileError('FILE_XLSX_INVALID', { entry: e.name, problem: `compression method ${e.method}` });
    total += e.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      return new FileError('FILE_ZIP_BOMB', { entry: e.name, bytes: total, limit: limits.maxUncompressedBytes });
    }
    if (e.uncompressedSize > limits.ratioFloorBytes) {
      const ratio = e.compressedSize === 0 ? Infinity : e.uncompressedSize / e.compressedSize;
      if (ratio > limits.maxRatio) {
        return new FileError('FILE_ZIP_BOMB', { entry: e.name, ratio: Number.isFinite(ratio) ? Math.round(ratio) : 'unbounded', limit: limits.maxRatio });
      }
    }
  }
  return null;
}

/** A judged archive: its parts by name (case-insensitive, as OPC part names are). */
export class CheckedZip {
  readonly #zip: ZipFile;
  readonly #entries: ReadonlyMap<string, Entry>;

  private constructor(zip: ZipFile, entries: ReadonlyMap<string, Entry>) {
    this.#zip = zip;
    this.#entries = entries;
  }

  /** Opens the archive on an open file (which stays the caller's to close) and judges it. */
  static async open(handle: FileHandle, size: number, limits: ZipLimits): Promise<CheckedZip> {
    let zip: ZipFile;
    try {
      zip = await yauzl.fromRandomAccessReaderPromise(new HandleReader(handle), size, {
        lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true,
      });
    } catch (err) {
      throw new FileError('FILE_XLSX_INVALID', { problem: 'not a zip archive' }, { cause: err });
    }
    try {
      // The count is in the end record: a directory claiming millions of entries is refused before one is read.
      if (zip.entryCount > limits.maxEntries) throw new FileError('FILE_ZIP_BOMB', { entries: zip.entryCount, limit: limits.maxEntries });
      const entries = new Map<string, Entry>();
      const facts: ZipEntryFacts[] = [];
      for await (const entry of zip.eachEntry()) {
        facts.push({
          name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize,
          encrypted: entry.isEncrypted(), method: entry.compressionMethod,
        });
        entries.set(entry.fileName.toLowerCase(), entry);
      }
      const refusal = judgeZip(facts, limits);
      if (refusal) throw refusal;
      return new CheckedZip(zip, entries);
    } catch (err) {
      zip.close();
      throw zipFailure(err);
    }
  }

  has(name: string): boolean {
    return this.#entries.has(name.toLowerCase());
  }

  /** The part's bytes, inflated; the stream fails as soon as it exceeds the declared size. */
  async read(name: string): Promise<Readable> {
    const entry = this.#entries.get(name.toLowerCase());
    if (!entry) throw new FileError('FILE_XLSX_INVALID', { entry: name, problem: 'missing part' });
    try {
      return await this.#zip.openReadStreamPromise(entry);
    } catch (err) {
      throw zipFailure(err);
    }
  }

  close(): void {
    this.#zip.close();
  }
}

/**
 * yauzl reading through the caller's file handle. yauzl's own fd reader
 * closes the descriptor when the archive is closed; this one leaves it to
 * its owner, who still has to check and move the file.
 */
class HandleReader extends yauzl.RandomAccessReader {
  readonly #handle: FileHandle;

  constructor(handle: FileHandle) {
    super();
    this.#handle = handle;
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return readBytes(this.#handle, start, end);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    this.#handle.read(buffer, offset, length, position).then(
      ({ bytesRead }) => callback(bytesRead < length ? new Error('unexpected end of file') : null),
      (err: Error) => callback(err),
    );
  }
}

/**
 * yauzl's errors in the catalogue's terms. A part that inflates to more
 * than the directory declared is a bomb in disguise; anything else yauzl
 * refuses is a damaged archive.
 */
export function zipFailure(err: unknown): unknown {
  if (err instanceof FileError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/too many bytes in the stream/i.test(message)) return new FileError('FILE_ZIP_BOMB', { problem: 'a part inflates beyond its declared size' }, { cause: err });
  return new FileError('FILE_XLSX_INVALID', { problem: message.slice(0, 200) }, { cause: err });
}
