/**
 * NDJSON: one JSON object per line, as programs export it. The keys of the
 * first object are the header; a later object may leave keys out (they read
 * as null) but not bring new ones, which would otherwise vanish unseen.
 *
 * Lines are split here rather than by readline so that a line longer than
 * maxRowBytes is skipped as it streams past instead of being collected.
 * A bad line refuses that line only: each line stands on its own.
 */
import type { Readable } from 'node:stream';
import type { Value } from '../contract.js';
import { decodeText } from './encoding.js';
import { FileError } from './file-error.js';
import { BatchCursor, emptyValues, pagesOf, type FileRow, type FileTable, type RowProblem } from './file-table.js';
import { headerNames, tidyHeader } from './header-row.js';
import type { FileLimits } from './limits.js';
import type { TextReaderOptions } from './csv-reader.js';

export interface Line {
  number: number;
  /** null when the line was longer than the limit. */
  text: string | null;
  /** UTF-8 bytes of the line. */
  bytes: number;
}

export async function openNdjson(bytes: Readable, options: TextReaderOptions): Promise<FileTable> {
  const { limits } = options;
  const source = new BatchCursor(splitLines(decodeText(bytes, options.encoding), limits.maxRowBytes));
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await source.close();
    bytes.destroy();
  };

  try {
    // Lines before the first object cannot be matched to a header yet; they are refused rows all the same.
    const early: FileRow[] = [];
    let first: { line: Line; object: Record<string, unknown> } | null = null;
    while (first === null) {
      const line = await source.next();
      if (line === null) break;
      const parsed = parseLine(line, limits);
      if (parsed === null) continue;
      if ('object' in parsed) first = { line, object: parsed.object };
      else early.push({ rowNumber: line.number, values: emptyValues(), problems: [parsed.problem] });
    }
    if (first === null) throw new FileError('FILE_EMPTY');
    const headers = headerNames(Object.keys(first.object).map((k) => tidyHeader(k)), limits);
    const known = new Set(headers);
    const firstRow = rowFromObject(first.object, first.line.number, headers, known, limits);

    const before = [...early, firstRow];
    const nextRow = async (): Promise<FileRow | null> => {
      if (before.length > 0) return before.shift()!;
      for (let line = await source.next(); line !== null; line = await source.next()) {
        const parsed = parseLine(line, limits);
        if (parsed === null) continue;
        if ('problem' in parsed) return { rowNumber: line.number, values: emptyValues(), problems: [parsed.problem] };
        return rowFromObject(parsed.object, line.number, headers, known, limits);
      }
      return null;
    };

    return {
      format: 'ndjson',
      encoding: options.encoding,
      sheet: null,
      headerRow: first.line.number,
      headers,
      pages: () => pagesOf(nextRow, options.pageSize),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** null for a blank line. */
export function parseLine(line: Line, limits: FileLimits): { object: Record<string, unknown> } | { problem: RowProblem } | null {
  if (line.text === null) {
    return { problem: { code: 'FILE_ROW_TOO_LARGE', column: null, params: { bytes: line.bytes, limit: limits.maxRowBytes } } };
  }
  if (line.text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.text);
  } catch {
    return { problem: { code: 'FILE_JSON_INVALID', column: null, params: { problem: 'syntax' } } };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: { code: 'FILE_JSON_INVALID', column: null, params: { problem: 'not-object' } } };
  }
  return { object: parsed as Record<string, unknown> };
}

function rowFromObject(
  object: Record<string, unknown>,
  rowNumber: number,
  headers: readonly string[],
  known: ReadonlySet<string>,
  limits: FileLimits,
): FileRow {
  const values = emptyValues();
  for (const h of headers) values[h] = null;
  const problems: RowProblem[] = [];
  const unexpected: string[] = [];
  for (const [rawKey, raw] of Object.entries(object)) {
    const key = tidyHeader(rawKey);
    if (!known.has(key)) {
      unexpected.push(key);
      continue;
    }
    const cell = scalar(raw, key, limits);
    if ('problem' in cell) problems.push(cell.problem);
    else values[key] = cell.value;
  }
  if (unexpected.length > 0) {
    problems.unshift({ code: 'FILE_ROW_RAGGED', column: null, params: { unexpected: unexpected.join('、'), expected: headers.length } });
  }
  return { rowNumber, values, problems };
}

export function scalar(raw: unknown, column: string, limits: FileLimits): { value: Value } | { problem: RowProblem } {
  if (raw === null || typeof raw === 'boolean') return { value: raw };
  if (typeof raw === 'string') {
    return raw.length > limits.maxCellChars
      ? { problem: { code: 'FILE_CELL_TOO_LARGE', column, params: { chars: raw.length, limit: limits.maxCellChars } } }
      : { value: raw };
  }
  if (typeof raw === 'number') {
    // JSON.parse has already rounded it: 420102199001011234 arrives as 420102199001011200.
    return Number.isInteger(raw) && !Number.isSafeInteger(raw)
      ? { problem: { code: 'FILE_NUMBER_PRECISION', column, params: { value: String(raw) } } }
      : { value: raw };
  }
  return { problem: { code: 'FILE_CELL_NOT_SCALAR', column, params: {} } };
}

/**
 * The lines of each chunk of text, without their CR/LF, numbered from 1; a
 * line over maxBytes is reported by its length and never held.
 */
export async function* splitLines(text: AsyncIterable<string>, maxBytes: number): AsyncGenerator<Line[], void, undefined> {
  let parts: string[] = [];
  let bytes = 0;
  let overflow = false;
  let number = 1;
  const take = (piece: string): void => {
    bytes += Buffer.byteLength(piece, 'utf8');
    if (overflow) return;
    if (bytes > maxBytes) {
      overflow = true;
      parts = [];
    } else parts.push(piece);
  };
  const line = (): Line => {
    const done: Line = overflow ? { number, text: null, bytes } : { number, text: parts.join('').replace(/\r$/, ''), bytes };
    parts = [];
    bytes = 0;
    overflow = false;
    number += 1;
    return done;
  };
  for await (const chunk of text) {
    const lines: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      take(chunk.slice(start, nl));
      lines.push(line());
      start = nl + 1;
    }
    if (start < chunk.length) take(chunk.slice(start));
    if (lines.length > 0) yield lines;
  }
  if (bytes > 0 || overflow) yield [line()];
}
