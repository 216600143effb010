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

/**
 * The same for a line kept in a chunk, read as its bytes (OutboxChunks.lineSpan): where its seq's
 * digits go (just after its head, whose `"seq":` is the line's first), or why it is not its row's.
 */
export function chunkLine(span: LineSpan, row: QueuedRow): number | string {
  const { buffer, start, end } = span;
  const head = headOf(row);
  // At most 3 bytes of UTF-8 a UTF-16 unit: a head that may not fit is measured and copied on its own.
  const fits = head.length * 3 <= SCRATCH.length;
  const expected = fits ? SCRATCH : Buffer.from(head, 'utf8');
  const size = fits ? SCRATCH.write(head, 0, 'utf8') : expected.length;
  const mid = start + size;
  if (buffer[start] !== OPEN_BRACE || mid > end || buffer.compare(expected, 0, size, start, mid) !== 0) {
    return `it does not begin as the line of record ${row.id}`;
  }
  if (buffer[mid] !== COMMA || buffer[end - 1] !== CLOSE_BRACE) return 'it does not end its JSON object';
  const bytes = end - start + String(row.seq).length;
  return bytes === row.bytes ? mid : `it holds ${bytes} bytes, where ${row.bytes} were queued`;
}
