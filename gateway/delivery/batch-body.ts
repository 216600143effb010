import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { OutboxRecord } from '../model.js';

/**
 * The body of POST /v1/batches (spec section 2): one record line per line,
 * each ending in \n, UTF-8 without BOM; gzip-compressed unless turned off.
 * Deterministic for given records, so a resent batch carries the same records.
 */

export interface BatchBody {
  bytes: Buffer;
  /** Value for Content-Encoding, or null for identity (header omitted). */
  contentEncoding: 'gzip' | null;
  /** NDJSON size before compression. */
  rawBytes: number;
}

/** What the body needs of a record: its line, or (with its seq) the line's bytes around the seq's digits. */
export type BodyRecord = Pick<OutboxRecord, 'line'> & Partial<Pick<OutboxRecord, 'lineBytes' | 'seq'>>;

export function ndjson(records: readonly BodyRecord[]): Buffer {
  let size = 0;
  for (const r of records) {
    const b = r.seq === undefined ? undefined : r.lineBytes;
    size += (b ? b.end - b.start + String(r.seq).length : Buffer.byteLength(r.line)) + 1;
  }
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (const r of records) {
    const b = r.seq === undefined ? undefined : r.lineBytes;
    if (b) {
      at += b.buffer.copy(body, at, b.start, b.mid);
      at += body.write(String(r.seq), at, 'latin1');
      at += b.buffer.copy(body, at, b.mid, b.end);
    } else {
      at += body.write(r.line, at, 'utf8');
    }
    body[at++] = 0x0a;
  }
  return body;
}

/**
 * Level 3, not zlib's default 6: measured on 5,000 penalty lines (1.2 KB of
 * JSON with Chinese text each), level 3 took 3.4 µs a line against 7.0 for
 * 6, for a body 11% larger (0.109 of the NDJSON against 0.098); level 1 was
 * no faster than 3 and 6% larger still. A bulk load's bodies were the
 * largest single cost left off the main thread (about 8 µs of CPU a record).
 */
export const BODY_GZIP_LEVEL = 3;

const gzipOnPool = promisify(gzip);

/**
 * Compressed on libuv's thread pool: a batch of 5,000 lines takes tens of
 * milliseconds to gzip, which the calling thread spends on other work
 * instead. zlib is deterministic, so a resent batch is byte for byte the first.
 */
export async function encodeBatchBody(records: readonly BodyRecord[], options: { gzip?: boolean } = {}): Promise<BatchBody> {
  return compressBody(ndjson(records), options);
}

/** The body from its NDJSON bytes (ndjson): how it goes on the wire. */
export async function compressBody(raw: Buffer, options: { gzip?: boolean } = {}): Promise<BatchBody> {
  if (options.gzip === false) return { bytes: raw, contentEncoding: null, rawBytes: raw.length };
  return { bytes: await gzipOnPool(raw, { level: BODY_GZIP_LEVEL }), contentEncoding: 'gzip', rawBytes: raw.length };
}
