import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { GatewayError } from '../errors.js';
import type { PayloadCipher } from './payload-crypto.js';

/**
 * How an outbox line is kept (outbox.form):
 *   0  the line as it is: TEXT, or sealed from its text (rows from before migration 8);
 *   1  deflateRaw of the line's UTF-8 bytes (a BLOB);
 *   2  those bytes sealed (store.encryption): compressed first, since sealed bytes no longer compress;
 *   3  deflateRaw of the line without its seq's digits, made on the mapping thread, which maps a
 *      page before the store gives its records their seqs (written before migration 11);
 *   4  those bytes sealed;
 *   5  no line in the row: it is in the page's chunk (outbox-chunks.ts), sealed there when the store is.
 * The purpose of form 2 differs from form 0's, so a form flipped in the file is refused, never inflated into garbage.
 */
export type LineForm = 0 | 1 | 2 | 3 | 4 | 5;

/** outbox.line of a form 5 row. */
export const IN_CHUNK = Buffer.alloc(0);

export const LINE_PURPOSE = 'outbox.line';
export const DEFLATED_LINE_PURPOSE = 'outbox.line.deflate';
export const SEQLESS_LINE_PURPOSE = 'outbox.line.seqless';
/**
 * Level 1 is fast and still about 60% of a JSON line in Chinese; higher levels gain little on lines
 * this short. A 2 KiB window and smaller hash tables: a line is about 1 KiB, and each call sets up
 * (and leaves to the GC) its own zlib state, which the defaults make 256 KiB (measured: −25% time).
 * Lines mapped on a mapping thread are kept a page at a time instead (form 5).
 */
const OPTIONS = { level: 1, windowBits: 11, memLevel: 7 };

export function packLine(line: string, cipher: PayloadCipher | null): { line: Buffer; form: LineForm } {
  const deflated = deflateRawSync(line, OPTIONS);
  return cipher ? { line: cipher.sealBytes(deflated, DEFLATED_LINE_PURPOSE), form: 2 } : { line: deflated, form: 1 };
}

/** The line as it was queued; throws (GatewayError) when a sealed value cannot be opened. Forms 3 and 4 need the row's seq; form 5 is read from its chunk (outbox-chunks.ts). */
export function unpackLine(stored: string | Buffer, form: number, cipher: PayloadCipher | null, seq?: number): string {
  if (form === 1) return inflateRawSync(stored as Buffer).toString('utf8');
  if (form === 2) return inflateRawSync(openWith(cipher).openBytes(stored as Buffer, DEFLATED_LINE_PURPOSE)).toString('utf8');
  if (form === 3 || form === 4) {
    const deflated = form === 4 ? openWith(cipher).openBytes(stored as Buffer, SEQLESS_LINE_PURPOSE) : (stored as Buffer);
    return withSeq(inflateRawSync(deflated).toString('utf8'), seq);
  }
  if (form === 5) throw new Error('an outbox line kept in a chunk read without its chunk');
  return typeof stored === 'string' ? stored : openWith(cipher).open(stored, LINE_PURPOSE);
}

/**
 * The seq's digits put back. The first `"seq":` of a line is its seq
 * member's: the members before it (id, category, op) are JSON strings, in
 * which a quote is always escaped.
 */
export function withSeq(text: string, seq: number | undefined): string {
  if (seq === undefined) throw new Error('a line kept without its seq read without the seq');
  const at = text.indexOf('"seq":') + 6;
  if (at < 6) throw new Error('a line kept without its seq has no seq member');
  return `${text.slice(0, at)}${seq}${text.slice(at)}`;
}

function openWith(cipher: PayloadCipher | null): PayloadCipher {
  // prepareKeys refuses to open a store holding sealed values without its keys: a sealed line never gets here without one.
  // A configuration matter (store_keys emptied by hand, encryption turned off), not a damaged value: it stops delivery, never quarantines.
  if (!cipher) throw new GatewayError('STORE_KEY_MISSING', 'a sealed outbox line read without store.encryption');
  return cipher;
}
