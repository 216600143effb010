import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { PayloadCipher } from './payload-crypto.js';

/**
 * How an outbox line is kept (outbox.form):
 *   0  the line as it is: TEXT, or sealed from its text (rows from before migration 8);
 *   1  deflateRaw of the line's UTF-8 bytes (a BLOB);
 *   2  those bytes sealed (store.encryption): compressed first, since sealed bytes no longer compress.
 * The purpose of form 2 differs from form 0's, so a form flipped in the file is refused, never inflated into garbage.
 */
export type LineForm = 0 | 1 | 2;

export const LINE_PURPOSE = 'outbox.line';
export const DEFLATED_LINE_PURPOSE = 'outbox.line.deflate';
/**
 * Level 1 is fast and still about 60% of a JSON line in Chinese; higher levels gain little on lines
 * this short. A 2 KiB window and smaller hash tables: a line is about 1 KiB, and each call sets up
 * (and leaves to the GC) its own zlib state, which the defaults make 256 KiB (measured: −25% time).
 */
const OPTIONS = { level: 1, windowBits: 11, memLevel: 7 };

export function packLine(line: string, cipher: PayloadCipher | null): { line: Buffer; form: LineForm } {
  const deflated = deflateRawSync(line, OPTIONS);
  return cipher ? { line: cipher.sealBytes(deflated, DEFLATED_LINE_PURPOSE), form: 2 } : { line: deflated, form: 1 };
}

/** The line as it was queued; throws (GatewayError) when a sealed value cannot be opened. */
export function unpackLine(stored: string | Buffer, form: number, cipher: PayloadCipher | null): string {
  if (form === 1) return inflateRawSync(stored as Buffer).toString('utf8');
  if (form === 2) return inflateRawSync(openWith(cipher).openBytes(stored as Buffer, DEFLATED_LINE_PURPOSE)).toString('utf8');
  return typeof stored === 'string' ? stored : openWith(cipher).open(stored, LINE_PURPOSE);
}

function openWith(cipher: PayloadCipher | null): PayloadCipher {
  // prepareKeys refuses to open a store holding sealed values without its keys: a sealed line never gets here without one.
  if (!cipher) throw new Error('a sealed outbox line read without store.encryption');
  return cipher;
}
