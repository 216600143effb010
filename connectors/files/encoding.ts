/**
 * Which encoding a text file (CSV, NDJSON) is in, decided from all of its
 * bytes before a single row is read, so a file in no known encoding is
 * refused whole instead of half-committed.
 *
 * Departments save data files in three ways: UTF-8 with a byte order mark
 * (Excel's "CSV UTF-8", and our templates), UTF-8 without one (most
 * programs), and GBK (Excel's plain "CSV" on a Chinese Windows). GB18030 is
 * a superset of GBK that decodes every GBK file identically, so it stands
 * for both. The order of the checks is what makes the decision safe:
 *
 *   1. A UTF-8 BOM (EF BB BF) says UTF-8. The rest must then be valid UTF-8:
 *      a file that claims UTF-8 and is not is damaged, not GBK.
 *   2. Otherwise, if every byte sequence is valid UTF-8 (strict: no
 *      overlong forms, no surrogates), the file is UTF-8. Chinese text in
 *      GBK almost never is: its lead bytes 0x81–0xFE are followed by trail
 *      bytes that rarely continue a UTF-8 sequence, and the strict check
 *      refuses overlong forms such as C1 AA, which is why the famous
 *      "联通" (GBK C1 AA CD A8) is not taken for UTF-8 here as it was by
 *      Notepad. The reverse does not hold — UTF-8 Chinese is often valid
 *      GB18030 as mojibake — so UTF-8 must be tried first.
 *   3. Otherwise, if the bytes decode as GB18030 without a single invalid
 *      sequence, the file is GB18030.
 *   4. Otherwise it is refused (FILE_ENCODING_INVALID), naming the line.
 *
 * One guard against the remaining risk, a damaged UTF-8 file that happens
 * to decode as GB18030 mojibake: when the text before the first invalid
 * byte already held several multi-byte UTF-8 characters, the file is UTF-8
 * that was damaged (or had text of another encoding pasted in), and is
 * refused rather than read as GB18030. And whatever slips through both is
 * caught downstream: a mis-decoded header names no field of the standard,
 * so the file is rejected before any row is used.
 *
 * Both decoders run in the same pass, line by line (a newline byte is never
 * part of a multi-byte sequence in either encoding), so a failure is
 * reported with the line it is on, in bounded memory.
 */
import { isAscii } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { FileError } from './file-error.js';
import { readBytes } from './safe-open.js';

export type TextEncoding = 'utf-8' | 'gb18030';

/** A line of the file (1-based) and the byte offset where it starts. */
export interface TextPosition {
  line: number;
  byte: number;
}

export type EncodingVerdict =
  | { ok: true; encoding: TextEncoding; bom: boolean }
  | { ok: false; reason: 'utf16'; at: TextPosition }
  | { ok: false; reason: 'bom-not-utf8' | 'damaged-utf8'; at: TextPosition }
  | { ok: false; reason: 'neither'; at: TextPosition; gb18030At: TextPosition };

/** Multi-byte UTF-8 characters that must precede a bad byte for the file to count as damaged UTF-8 rather than GB18030. */
export const UTF8_EVIDENCE_CHARS = 8;

/**
 * Feed it the file's bytes in order, then ask for the verdict. Pure apart
 * from its own state: no I/O, no clock.
 */
export class EncodingSniffer {
  readonly #utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  readonly #gb18030 = new TextDecoder('gb18030', { fatal: true });
  #head: Uint8Array = new Uint8Array(0);
  #bom: 'utf-8' | 'utf-16' | null | undefined = undefined;
  #utf8At: TextPosition | null = null;
  #gb18030At: TextPosition | null = null;
  #utf8Chars = 0;
  #line = 1;
  #lineStart = 0;
  #offset = 0;
  /** A decoder may hold the first bytes of a sequence begun in an earlier piece of the line. */
  #pending = false;

  /** Nothing more the file holds can change the verdict; stop reading. */
  get settled(): boolean {
    if (this.#bom === 'utf-16') return true;
    if (this.#utf8At === null) return false;
    return this.#bom === 'utf-8' || this.#utf8Chars >= UTF8_EVIDENCE_CHARS || this.#gb18030At !== null;
  }

  push(chunk: Uint8Array): void {
    if (this.#bom === undefined) {
      this.#head = concat(this.#head, chunk);
      if (this.#head.length < 3) return;
      const head = this.#head;
      this.#head = new Uint8Array(0);
      this.#start(head);
      return;
    }
    if (!this.settled) this.#scan(chunk);
  }

  finish(): EncodingVerdict {
    if (this.#bom === undefined) this.#start(this.#head);
    if (this.#pending) this.#scan(new Uint8Array(0), true);
    const at = this.#utf8At;
    if (this.#bom === 'utf-16') return { ok: false, reason: 'utf16', at: { line: 1, byte: 0 } };
    if (this.#bom === 'utf-8') return at ? { ok: false, reason: 'bom-not-utf8', at } : { ok: true, encoding: 'utf-8', bom: true };
    if (at === null) return { ok: true, encoding: 'utf-8', bom: false };
    if (this.#utf8Chars >= UTF8_EVIDENCE_CHARS) return { ok: false, reason: 'damaged-utf8', at };
    if (this.#gb18030At === null) return { ok: true, encoding: 'gb18030', bom: false };
    return { ok: false, reason: 'neither', at, gb18030At: this.#gb18030At };
  }

  #start(head: Uint8Array): void {
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) this.#bom = 'utf-8';
    else if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) this.#bom = 'utf-16';
    else this.#bom = null;
    if (this.#bom === 'utf-8') {
      this.#offset = 3;
      this.#scan(head.subarray(3));
    } else if (this.#bom === null) this.#scan(head);
  }

  #scan(bytes: Uint8Array, end = false): void {
    let start = 0;
    do {
      const newline = bytes.indexOf(0x0a, start);
      const stop = newline === -1 ? bytes.length : newline + 1;
      const piece = bytes.subarray(start, stop);
      const lineEnds = newline !== -1 || end;
      // Pure ASCII with nothing pending is valid in both encodings: skip the decoders, the common case for codes and numbers.
      if (this.#pending || !isAscii(piece)) {
        this.#decode(piece, !lineEnds);
        this.#pending = !lineEnds;
      }
      this.#offset += piece.length;
      if (newline !== -1) {
        this.#line += 1;
        this.#lineStart = this.#offset;
      }
      start = stop;
    } while (start < bytes.length);
  }

  #decode(piece: Uint8Array, stream: boolean): void {
    const at = { line: this.#line, byte: this.#lineStart };
    if (this.#utf8At === null) {
      try {
        const text = this.#utf8.decode(piece, { stream });
        if (this.#utf8Chars < UTF8_EVIDENCE_CHARS) this.#utf8Chars += countNonAscii(text);
      } catch {
        this.#utf8At = at;
      }
    }
    if (this.#bom === null && this.#gb18030At === null) {
      try {
        this.#gb18030.decode(piece, { stream });
      } catch {
        this.#gb18030At = at;
      }
    }
  }
}

/** Reads the bytes until the verdict is certain (usually the whole file). */
export async function sniffEncoding(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<EncodingVerdict> {
  const sniffer = new EncodingSniffer();
  for await (const chunk of bytes) {
    sniffer.push(chunk);
    if (sniffer.settled) break;
  }
  return sniffer.finish();
}

/** The refusal for a failed verdict, with the line(s) for the report. */
/** The encoding of a whole opened file, or the refusal that names the line. */
export async function fileEncoding(handle: FileHandle): Promise<TextEncoding> {
  const sniffing = readBytes(handle);
  let verdict: EncodingVerdict;
  try {
    verdict = await sniffEncoding(sniffing);
  } finally {
    sniffing.destroy();
  }
  if (!verdict.ok) throw encodingError(verdict);
  return verdict.encoding;
}

export function encodingError(verdict: Extract<EncodingVerdict, { ok: false }>): FileError {
  const params: Record<string, string | number> = { reason: verdict.reason, line: verdict.at.line, byte: verdict.at.byte };
  if (verdict.reason === 'neither') params.gb18030Line = verdict.gb18030At.line;
  return new FileError('FILE_ENCODING_INVALID', params);
}

/**
 * The text of a file in the encoding decided, as strings, without a BOM.
 * Fatal on any invalid sequence: a file that changed after it was sniffed
 * is refused, never read with replacement characters.
 */
export async function* decodeText(bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, encoding: TextEncoding): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let first = true;
  const decode = (chunk?: Uint8Array): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (err) {
      throw new FileError('FILE_ENCODING_INVALID', { reason: 'changed', encoding }, { cause: err });
    }
  };
  for await (const chunk of bytes) {
    let text = decode(chunk);
    if (first && text.length > 0) {
      // TextDecoder drops a UTF-8 BOM itself; GB18030 has its own BOM (84 31 95 33), which decodes to U+FEFF.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text) yield text;
  }
  const rest = decode();
  if (rest) yield rest;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function countNonAscii(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) n++;
  return n;
}
