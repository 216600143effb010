/**
 * Outbox lines kept a page at a time (outbox.form 5). The lines a page
 * queued, without their seqs' digits, are joined by "\n" and deflated as one
 * stream, kept in outbox_chunks under the first and last seq they hold. A
 * page's queued records take consecutive seqs, so the line of seq s is line
 * s − first_seq of its chunk, and its outbox row keeps no line of its own.
 *
 * Lines of one job share most of their text, which a line deflated alone
 * cannot use: on the benchmark's 行政处罚 lines (about 1.2 KB each) one
 * stream a page keeps about 120 bytes a line where a line alone kept 780,
 * and costs about 5 µs a line to make and 7 to read where a line alone cost
 * 30 and 25.
 *
 * A chunk leaves in the transaction that removes the last outbox row of its range.
 */
import type Database from 'better-sqlite3';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { LineBytes, PageLines } from '../model.js';
import type { SeqRange } from './outbox.js';
import { GatewayError } from '../errors.js';
import type { PayloadCipher } from './payload-crypto.js';

export const CHUNK_PURPOSE = 'outbox.chunk';
/** Measured on those lines: level 3 is as fast as 1 and 6% smaller; 6 takes twice as long for 12% less. */
const OPTIONS = { level: 3 };
/** A batch of 5,000 spans two chunks at most with pages of up to 5,000 rows; the records read keep their own chunks alive. */
const DECODED_KEPT = 2;

/**
 * The texts of the page being packed, as UTF-8, in one buffer kept for the next page: a page's text is
 * several megabytes, and a string or buffer made anew for each page has the collector run far more
 * often (measured: a third slower per page).
 */
let packing: Buffer = Buffer.allocUnsafe(0);

/** A page's lines as one stream: the mapping thread's side. `texts` are the lines without their seqs' digits. */
export function packPageLines(texts: readonly string[]): PageLines {
  const lines = new PageLinesWriter();
  for (let i = 0; i < texts.length; i++) lines.add(texts[i]!);
  return lines.pack();
}

/**
 * A page's lines written one by one as they are made, then deflated as one
 * stream (packPageLines). A line written at once is garbage at once: a page
 * of 5,000 lines kept as strings until the last was made lived long enough
 * for the collector to copy them, and promote them, several megabytes a page.
 * One writer at a time per thread: they share the buffer.
 */
export class PageLinesWriter {
  #length = 0;
  /** Where each line starts in the buffer, and its UTF-8 bytes. */
  readonly #starts: number[] = [];
  readonly #bytes: number[] = [];

  /** The next line: `head` then `tail` (a line around its seq, without the seq's digits). Returns its index. */
  add(head: string, tail = ''): number {
    // At most 3 UTF-8 bytes per UTF-16 unit, and the newline: room is made before writing, never after a cut.
    const room = (head.length + tail.length) * 3 + 1;
    if (packing.length < this.#length + room) packing = grown(packing, this.#length, this.#length + room);
    if (this.#bytes.length > 0) packing[this.#length++] = 0x0a;
    let written = packing.write(head, this.#length, 'utf8');
    if (tail !== '') written += packing.write(tail, this.#length + written, 'utf8');
    this.#starts.push(this.#length);
    this.#bytes.push(written);
    this.#length += written;
    return this.#bytes.length - 1;
  }

  /**
   * The lines as one stream: all of them as written, or those of `order`
   * (indices from add) in that order, when a page's later row replaced or
   * withdrew a record whose line was already written.
   */
  pack(order?: readonly number[]): PageLines {
    const written = this.#bytes.length;
    if (order === undefined || (order.length === written && order.every((line, i) => line === i))) return deflated(packing.subarray(0, this.#length), this.#bytes);
    const bytes: number[] = new Array(order.length);
    let length = 0;
    for (let i = 0; i < order.length; i++) length += this.#bytes[order[i]!]! + (i > 0 ? 1 : 0);
    const text = Buffer.allocUnsafe(length);
    let at = 0;
    for (let i = 0; i < order.length; i++) {
      const line = order[i]!;
      if (i > 0) text[at++] = 0x0a;
      at += packing.copy(text, at, this.#starts[line]!, this.#starts[line]! + this.#bytes[line]!);
      bytes[i] = this.#bytes[line]!;
    }
    return deflated(text, bytes);
  }
}

function deflated(text: Buffer, bytes: number[]): PageLines {
  const stream = deflateRawSync(text, OPTIONS);
  // A structured copy sends a view's whole buffer, and a short stream can be a view of zlib's 16 KiB output chunk.
  return { deflated: stream.byteLength === stream.buffer.byteLength ? stream : new Uint8Array(stream), bytes };
}

function grown(buffer: Buffer, keep: number, need: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(need, buffer.length * 2, 64 * 1024));
  buffer.copy(next, 0, 0, keep);
  return next;
}

/** The lines of a stream made by packPageLines, as text; throws unless there are `count` of them. */
export function unpackPageLines(deflated: Uint8Array, count: number): string[] {
  const { bytes, starts } = splitLines(deflated, count);
  return Array.from({ length: count }, (_, i) => lineOf(bytes, starts, i).toString('utf8'));
}

interface StoredChunk {
  first: number;
  last: number;
  lines: Buffer;
  sealed: number;
}

interface Lines {
  /** The lines as UTF-8, each after the one before and a newline. */
  bytes: Buffer;
  /** Where each line starts in `bytes`, and one more: where a line after the last would start. */
  starts: Int32Array;
}

interface DecodedChunk extends Lines {
  first: number;
  last: number;
}

const NEWLINE = 0x0a;
const SEQ_MEMBER = Buffer.from('"seq":');
const NEWLINE_BYTE = Buffer.from([NEWLINE]);

/** A stream's lines found in its bytes, not decoded into text; throws unless there are `count` of them. */
function splitLines(deflated: Uint8Array, count: number): Lines {
  const bytes = inflateRawSync(deflated);
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let i = 1; i < count; i++) {
    at = bytes.indexOf(NEWLINE, at) + 1;
    // A JSON line holds no raw newline, so the count is exact; any other count is a damaged stream.
    if (at === 0) break;
    starts[i] = at;
  }
  if ((count > 1 && at === 0) || bytes.indexOf(NEWLINE, at) !== -1) throw new Error(`an outbox chunk does not hold the ${count} lines kept in it`);
  starts[count] = bytes.length + 1;
  return { bytes, starts };
}

/** Line `i`, a view of the bytes. */
function lineOf(bytes: Buffer, starts: Int32Array, i: number): Buffer {
  return bytes.subarray(starts[i]!, starts[i + 1]! - 1);
}

/** A line kept without its seq (lineAt) made whole again, as text. */
export function lineWithSeq(b: LineBytes, seq: number): string {
  return `${b.buffer.toString('utf8', b.start, b.mid)}${seq}${b.buffer.toString('utf8', b.mid, b.end)}`;
}

/** A line's bytes in its chunk, without the newline after it. */
export interface LineSpan {
  readonly buffer: Buffer;
  readonly start: number;
  readonly end: number;
}

export class OutboxChunks {
  readonly #insert: Database.Statement<[number, number, Buffer, number]>;
  readonly #covering: Database.Statement<[number], StoredChunk>;
  readonly #dropEmpty: Database.Statement<[SeqRange]>;
  readonly #cipher: PayloadCipher | null;
  /** Newest last: a batch reads its seqs in order, so a chunk is read whole once, not once per line. */
  #decoded: DecodedChunk[] = [];
  /**
   * The last chunk found unreadable, with why: each of its rows fails alike (and is quarantined, outbox.ts),
   * and a sealed chunk of a page is decrypted whole before it fails, so it is tried once, not once per row.
   */
  #unreadable: { first: number; last: number; error: unknown } | null = null;

  constructor(db: Database.Database, cipher: PayloadCipher | null) {
    this.#cipher = cipher;
    this.#insert = db.prepare('INSERT INTO outbox_chunks (first_seq, last_seq, lines, sealed) VALUES (?, ?, ?, ?)');
    this.#covering = db.prepare(`
      SELECT first_seq AS first, last_seq AS last, lines, sealed FROM outbox_chunks
      WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1`);
    // Only chunks the range touches: each is emptied by the last of its rows to leave, in whatever range that is.
    this.#dropEmpty = db.prepare(`
      DELETE FROM outbox_chunks
      WHERE first_seq <= @to AND last_seq >= @from
        AND NOT EXISTS (SELECT 1 FROM outbox WHERE seq BETWEEN outbox_chunks.first_seq AND outbox_chunks.last_seq)`);
  }

  /**
   * Keeps the lines of a page's queued records, which took the seqs from `first` on: `indexes` are
   * their places in the page (ascending), or null when every record of the page was queued.
   */
  add(first: number, lines: PageLines, indexes: readonly number[] | null): void {
    let deflated = Buffer.from(lines.deflated.buffer, lines.deflated.byteOffset, lines.deflated.byteLength);
    let count = lines.bytes.length;
    if (indexes !== null && indexes.length !== count) {
      // Some records were unchanged: their lines are never sent, so they are not kept either.
      const { bytes, starts } = splitLines(deflated, count);
      const kept: Buffer[] = [];
      indexes.forEach((i, k) => {
        if (k > 0) kept.push(NEWLINE_BYTE);
        kept.push(lineOf(bytes, starts, i));
      });
      deflated = deflateRawSync(Buffer.concat(kept), OPTIONS);
      count = indexes.length;
    }
    if (count === 0) return;
    const c = this.#cipher;
    this.#insert.run(first, first + count - 1, c ? c.sealBytes(deflated, CHUNK_PURPOSE) : deflated, c ? 1 : 0);
  }

  /**
   * Where the line of the outbox row `seq` (form 5) is in its chunk's decoded bytes, which the span keeps
   * alive: no view and no text made per line.
   */
  lineSpan(seq: number): LineSpan {
    const chunk = this.#decoded.find((d) => d.first <= seq && seq <= d.last) ?? this.#decode(seq);
    const i = seq - chunk.first;
    return { buffer: chunk.bytes, start: chunk.starts[i]!, end: chunk.starts[i + 1]! - 1 };
  }

  /** The same, with where its seq's digits go: after its first `"seq":`, as outbox-lines.ts withSeq. */
  lineAt(seq: number): LineBytes {
    const { buffer, start, end } = this.lineSpan(seq);
    const at = buffer.indexOf(SEQ_MEMBER, start);
    if (at < 0 || at + SEQ_MEMBER.length > end) throw new Error('a line kept without its seq has no seq member');
    return { buffer, start, mid: at + SEQ_MEMBER.length, end };
  }

  /** Call after removing the rows of `range`: chunks left without rows go too. */
  dropEmpty(range: SeqRange): void {
    this.#dropEmpty.run({ from: range.from, to: range.to });
    // Batches go oldest first: a chunk ending in this range is read again rarely if ever, and an idle gateway holds none.
    this.#decoded = this.#decoded.filter((d) => d.last > range.to);
  }

  #decode(seq: number): DecodedChunk {
    const known = this.#unreadable;
    if (known && known.first <= seq && seq <= known.last) throw known.error;
    const stored = this.#covering.get(seq);
    if (!stored || stored.last < seq) throw new Error(`the outbox chunk holding the line of seq ${seq} is missing`);
    let decoded: DecodedChunk;
    try {
      const deflated = stored.sealed ? openWith(this.#cipher).openBytes(stored.lines, CHUNK_PURPOSE) : stored.lines;
      decoded = { first: stored.first, last: stored.last, ...splitLines(deflated, stored.last - stored.first + 1) };
    } catch (error) {
      // Seqs are never reused: a chunk's range names the same bytes for as long as it exists.
      this.#unreadable = { first: stored.first, last: stored.last, error };
      throw error;
    }
    this.#decoded.push(decoded);
    if (this.#decoded.length > DECODED_KEPT) this.#decoded.shift();
    return decoded;
  }
}

function openWith(cipher: PayloadCipher | null): PayloadCipher {
  // prepareKeys refuses to open a store holding sealed values without its keys: a sealed chunk never gets here without one.
  // A configuration matter (store_keys emptied by hand, encryption turned off), not a damaged value: it stops delivery, never quarantines.
  if (!cipher) throw new GatewayError('STORE_KEY_MISSING', 'a sealed outbox chunk read without store.encryption');
  return cipher;
}
