/**
 * CSV as Excel writes it (RFC 4180, comma-separated, CRLF or LF), streamed:
 * bytes → decoded text → csv-parse → rows, one page at a time. The parser
 * never buffers more than one record (maxRowBytes), so a huge file costs
 * time, not memory.
 *
 * Row numbers count records the way Excel shows them when it opens the
 * file: the header is row 1 and an empty line is a row too.
 */
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { Value } from '../contract.js';
import { decodeText, type TextEncoding } from './encoding.js';
import { FileError } from './file-error.js';
import { BatchCursor, pagesOf, type FileRow, type FileTable } from './file-table.js';
import { headerNames, isBlankCell, rowFromCells } from './header-row.js';
import type { FileLimits } from './limits.js';

export interface TextReaderOptions {
  encoding: TextEncoding;
  limits: FileLimits;
  pageSize: number;
}

/** The part of csv-parse's Parser driven here: its push-based core, which hands back an error instead of destroying a stream. */
interface ParserCore {
  api: { parse(chunk: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined };
}

/** CSV records one at a time, numbered as Excel numbers rows; shared by the table and the grid readers. */
export interface CsvRecords {
  /** The next record, or null after the last; a FileError when the rest cannot be read. */
  next(): Promise<string[] | null>;
  /** The row number of the record last returned. */
  readonly rowNumber: number;
  close(): Promise<void>;
}

export function csvRecords(bytes: Readable, options: Omit<TextReaderOptions, 'pageSize'>): CsvRecords {
  const { limits } = options;
  const parser = parse({
    // Raggedness is judged per row by the reader, with the row's number, instead of failing the whole file.
    relax_column_count: true,
    // A quote inside an unquoted cell (公司简称"某某") is text, as Excel reads it.
    relax_quotes: true,
    max_record_size: limits.maxRowBytes,
    skip_empty_lines: false,
  }) as unknown as ParserCore;
  const records = new BatchCursor(parseRecords(decodeText(bytes, options.encoding), parser));
  let rowNumber = 0;
  let closed = false;
  return {
    get rowNumber() {
      return rowNumber;
    },
    async next() {
      try {
        const record = await records.next();
        if (record !== null) rowNumber += 1;
        return record;
      } catch (err) {
        throw csvFailure(err, rowNumber + 1, limits.maxRowBytes);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await records.close();
      bytes.destroy();
    },
  };
}

export async function openCsv(bytes: Readable, options: TextReaderOptions): Promise<FileTable> {
  const { limits } = options;
  const records = csvRecords(bytes, options);
  const close = (): Promise<void> => records.close();
  const next = (): Promise<string[] | null> => records.next();

  try {
    let header: string[] | null;
    do header = await next();
    while (header !== null && header.every((c) => isBlankCell(c)));
    if (header === null) throw new FileError('FILE_EMPTY');
    const headers = headerNames(header, limits);
    const headerRow = records.rowNumber;

    const nextRow = async (): Promise<FileRow | null> => {
      for (let cells = await next(); cells !== null; cells = await next()) {
        const row = rowFromCells(headers, cells as Value[], records.rowNumber, limits, { strictWidth: true });
        if (row) return row;
      }
      return null;
    };

    return {
      format: 'csv',
      encoding: options.encoding,
      sheet: null,
      headerRow,
      headers,
      pages: () => pagesOf(nextRow, options.pageSize),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The records of each chunk of text, in file order; the records a chunk held
 * before a fatal error come out before the error does, so the report can
 * say exactly where reading stopped.
 */
async function* parseRecords(text: AsyncIterable<string>, parser: ParserCore): AsyncGenerator<string[][], void, undefined> {
  const feed = (chunk: Buffer | undefined, end: boolean): { records: string[][]; error: Error | undefined } => {
    const records: string[][] = [];
    const error = parser.api.parse(chunk, end, (r) => records.push(r), () => undefined);
    return { records, error };
  };
  for await (const chunk of text) {
    const { records, error } = feed(Buffer.from(chunk, 'utf8'), false);
    if (records.length > 0) yield records;
    if (error) throw error;
  }
  const { records, error } = feed(undefined, true);
  if (records.length > 0) yield records;
  if (error) throw error;
}

/** csv-parse's refusals in the catalogue's terms, with the row where reading stopped. */
function csvFailure(err: unknown, row: number, maxRowBytes: number): unknown {
  if (err instanceof FileError) return err;
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    const params = { row, ...(typeof line === 'number' ? { line } : {}) };
    if (err.code === 'CSV_MAX_RECORD_SIZE') return new FileError('FILE_ROW_TOO_LARGE', { ...params, limit: maxRowBytes }, { cause: err });
    return new FileError('FILE_CSV_MALFORMED', { ...params, problem: err.code }, { cause: err });
  }
  return err;
}
