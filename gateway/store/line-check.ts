/**
 * Whether a queued line read back is the one queued for its row. Deflate
 * has no checksum: a form 1 line or a page's chunk (outbox-lines.ts,
 * outbox-chunks.ts) damaged on disk can still inflate, into other bytes.
 * Sent, such a line would have the platform refuse the whole batch (400,
 * kept as rejected) or, worse, take it under another id or seq. So before a
 * line joins a batch, what is certain and cheap is checked against the row
 * it belongs to: its size on the wire (outbox.bytes, counted when it was
 * queued), its opening members exactly as serialize.ts writes them (id,
 * category, op, then seq) and its closing brace. Parsing the whole line
 * would catch a little more (a value altered without changing its size) at
 * about half of the drain's CPU per record, so it is not done.
 */

/** What the row says its line is. */
export interface QueuedRow {
  seq: number;
  id: string;
  category: string;
  op: string;
  bytes: number;
}

import type { LineSpan } from './outbox-chunks.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** A line's members before its seq's digits (serialize.ts recordLineParts writes them so). */
function headOf(row: QueuedRow): string {
  return `{"id":${JSON.stringify(row.id)},"category":${JSON.stringify(row.category)},"op":${JSON.stringify(row.op)},"seq":`;
}

/** Why a whole line is not its row's, or null when it is. */
export function lineMismatch(line: string, row: QueuedRow): string | null {
  const head = `${headOf(row)}${row.seq},`;
  if (!line.startsWith(head)) return `it does not begin as the line of record ${row.id} with seq ${row.seq}`;
  if (line.charCodeAt(line.length - 1) !== CLOSE_BRACE) return 'it does not end its JSON object';
  const bytes = Buffer.byteLength(line);
  return bytes === row.bytes ? null : `it holds ${bytes} bytes, where ${row.bytes} were queued`;
}

/** Where a head is written as UTF-8 to be compared with a line's bytes, instead of decoding each line to compare text. */
const SCRATCH = Buffer.allocUnsafe(1024);

/** `{"id":"`: how a line whose id JSON writes as it is begins. */
const ID_OPENING = Buffer.from('{"id":"');
/** Past this many categories the heads after the id are forgotten and made again: a bound, not a working size. */
const MAX_HEAD_END_CATEGORIES = 2048;
/**
 * What follows such an id up to the seq's digits, per category and op: a batch's rows share a few, so
 * each row's check compares bytes against bytes already made rather than writing its head out again.
 * Keyed by the strings themselves (a batch's rows share one string per category, outbox.ts), not by a
 * key text made per row.
 */
const headEnds = new Map<string, Map<string, Buffer>>();

function headEnd(category: string, op: string): Buffer {
  let byOp = headEnds.get(category);
  if (byOp === undefined) {
    if (headEnds.size >= MAX_HEAD_END_CATEGORIES) headEnds.clear();
    headEnds.set(category, (byOp = new Map()));
  }
  let end = byOp.get(op);
  if (end === undefined) {
    end = Buffer.from(`","category":${JSON.stringify(category)},"op":${JSON.stringify(op)},"seq":`, 'utf8');
    byOp.set(op, end);
  }
  return end;
}

/** Whether `buffer` holds `expected` from `at` on. */
function sameBytes(buffer: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (buffer[at + i] !== expected[i]) return false;
  return true;
}

/** Whether JSON.stringify writes the text as it is, between quotes, one byte a character (a hex id always). */
function plainAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/**
 * Where the head of the row's line ends in `buffer` from `start` (just before the seq's digits), or -1
 * when the bytes there are not that head. Any id reads so; a plain one (every id the gateway makes) is
 * compared where it lies, without a text made per row.
 */
function headEndsAt(buffer: Buffer, start: number, end: number, row: QueuedRow): number {
  const { id } = row;
  if (plainAscii(id)) {
    const after = headEnd(row.category, row.op);
    const at = start + ID_OPENING.length;
    const mid = at + id.length + after.length;
    // Byte by byte here: a call to Buffer.compare costs more than comparing a head this short.
    if (mid > end || !sameBytes(buffer, start, ID_OPENING)) return -1;
    for (let i = 0; i < id.length; i++) if (buffer[at + i] !== id.charCodeAt(i)) return -1;
    return sameBytes(buffer, at + id.length, after) ? mid : -1;
  }
  const head = headOf(row);
  // At most 3 bytes of UTF-8 a UTF-16 unit: a head that may not fit is measured and copied on its own.
  const fits = head.length * 3 <= SCRATCH.length;
  const expected = fits ? SCRATCH : Buffer.from(head, 'utf8');
  const size = fits ? SCRATCH.write(head, 0, 'utf8') : expected.length;
  const mid = start + size;
  return mid <= end && buffer.compare(expected, 0, size, start, mid) === 0 ? mid : -1;
}

/**
 * The same for a line kept in a chunk, read as its bytes (OutboxChunks.lineSpan): where its seq's
 * digits go (just after its head, whose `"seq":` is the line's first), or why it is not its row's.
 */
export function chunkLine(span: LineSpan, row: QueuedRow): number | string {
  const { buffer, start, end } = span;
  const mid = buffer[start] === OPEN_BRACE ? headEndsAt(buffer, start, end, row) : -1;
  if (mid < 0) return `it does not begin as the line of record ${row.id}`;
  if (buffer[mid] !== COMMA || buffer[end - 1] !== CLOSE_BRACE) return 'it does not end its JSON object';
  const bytes = end - start + digitsOf(row.seq);
  return bytes === row.bytes ? mid : `it holds ${bytes} bytes, where ${row.bytes} were queued`;
}

/** How many digits a seq (a whole number from 0) is written with, without writing it. */
function digitsOf(seq: number): number {
  let digits = 1;
  for (let rest = seq; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return digits;
}
