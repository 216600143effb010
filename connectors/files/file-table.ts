/**
 * What every file reader gives back: the header row, then the data rows in
 * pages, each row with its number as the clerk sees it and any problem that
 * keeps it from being used. Readers know nothing of categories or field
 * codes; the header names are the file's own.
 */
import type { Value } from '../contract.js';
import type { TextEncoding } from './encoding.js';
import type { DropFormat } from './naming.js';

/** Problems that refuse one row; the rest of the file is still read. */
export type RowProblemCode =
  | 'FILE_ROW_RAGGED'
  | 'FILE_ROW_TOO_LARGE'
  | 'FILE_CELL_TOO_LARGE'
  | 'FILE_FORMULA_CELL'
  | 'FILE_CELL_ERROR'
  | 'FILE_JSON_INVALID'
  | 'FILE_CELL_NOT_SCALAR'
  | 'FILE_NUMBER_PRECISION';

export interface RowProblem {
  code: RowProblemCode;
  /** The header of the column concerned; null when the problem is the row's. */
  column: string | null;
  /** Facts for the message, e.g. { cell: 'C5' } or { cells: 7, expected: 6 }. */
  params: Record<string, string | number>;
}

export interface FileRow {
  /**
   * The row's number as the clerk finds it: the spreadsheet row (the header
   * is row 1 of a CSV, as Excel shows it), or the line of an NDJSON file.
   */
  rowNumber: number;
  /** Header → value; null-prototype, so a header named `__proto__` is just a name. */
  values: Record<string, Value>;
  /** Non-empty: the row must not be used; its values are what could be read. */
  problems: RowProblem[];
}

export interface FileTable {
  readonly format: DropFormat;
  /** The text encoding read (CSV, NDJSON); null for XLSX. */
  readonly encoding: TextEncoding | null;
  /** The sheet read (XLSX). */
  readonly sheet: string | null;
  /** The row (line) the headers came from. */
  readonly headerRow: number;
  readonly headers: readonly string[];
  /**
   * Pages of at most pageSize rows, read as they are asked for. Blank rows
   * are skipped. A ConnectorError thrown here means the rest of the file
   * cannot be read (e.g. a quote never closed); rows already yielded stand.
   * Iterate once.
   */
  pages(): AsyncGenerator<FileRow[], void, undefined>;
  /** Releases the file; safe to call twice and in the middle of pages(). */
  close(): Promise<void>;
}

export function emptyValues(): Record<string, Value> {
  return Object.create(null) as Record<string, Value>;
}

/**
 * Pages of at most pageSize rows, pulled from `next` (null: no more rows)
 * only as the page being filled needs them. When reading fails, the rows
 * read before the failure still come out as a last page, then the failure:
 * everything before the break is usable.
 */
export async function* pagesOf<T = FileRow>(next: () => Promise<T | null>, pageSize: number): AsyncGenerator<T[], void, undefined> {
  let page: T[] = [];
  try {
    for (let row = await next(); row !== null; row = await next()) {
      page.push(row);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
  } catch (err) {
    if (page.length > 0) yield page;
    throw err;
  }
  if (page.length > 0) yield page;
}

/**
 * One item at a time from a source that produces them in batches (the
 * records of a chunk of text): awaiting a batch per chunk rather than a
 * promise per item keeps a million-row file cheap.
 */
export class BatchCursor<T> {
  readonly #batches: AsyncIterator<readonly T[]>;
  #batch: readonly T[] = [];
  #index = 0;

  constructor(batches: AsyncIterable<readonly T[]>) {
    this.#batches = batches[Symbol.asyncIterator]();
  }

  /** The next item, or null after the last. */
  async next(): Promise<T | null> {
    while (this.#index >= this.#batch.length) {
      const r = await this.#batches.next();
      if (r.done) return null;
      this.#batch = r.value;
      this.#index = 0;
    }
    return this.#batch[this.#index++]!;
  }

  async close(): Promise<void> {
    await this.#batches.return?.();
  }
}
