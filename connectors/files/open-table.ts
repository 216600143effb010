/**
 * A dropped file, opened safely, as a FileTable: the file-level checks
 * every format shares (size; the encoding of text formats, decided from the
 * whole file before a row is read), then the format's reader, from one
 * explicit table.
 */
import type { Readable } from 'node:stream';
import { openCsv, type TextReaderOptions } from './csv-reader.js';
import { fileEncoding } from './encoding.js';
import { FileError } from './file-error.js';
import type { FileTable } from './file-table.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from './limits.js';
import type { DropFormat } from './naming.js';
import { openNdjson } from './ndjson-reader.js';
import { readBytes, type OpenedFile } from './safe-open.js';
import { tableFromWorkbook } from './grid-table.js';
import { openWorkbook } from './workbook.js';
import { openXlsx } from './xlsx-reader.js';

export interface TableOptions {
  limits?: FileLimits;
  /** Rows per page (default 500). */
  pageSize?: number;
  /** XLSX: the sheet to prefer (the template's data sheet). */
  sheet?: string;
  /** XLSX: the row of the column names, if not the first row with content. */
  headerRow?: number;
}

type Opener = (file: OpenedFile, options: Required<Pick<TableOptions, 'limits' | 'pageSize'>> & TableOptions) => Promise<FileTable>;

const OPENERS: Readonly<Record<DropFormat, Opener>> = {
  csv: (file, options) => openText(file, options, openCsv),
  ndjson: (file, options) => openText(file, options, openNdjson),
  xlsx: (file, options) => openXlsx(file, options),
  // .xls is parsed whole in a worker (xls-workbook.ts); the template sheet is then read from its grid.
  xls: async (file, options) => tableFromWorkbook(await openWorkbook(file, 'xls', options), options),
};

/** The table of an opened file; the caller keeps owning (and closes) the file handle. */
export async function openTable(file: OpenedFile, format: DropFormat, options: TableOptions = {}): Promise<FileTable> {
  const limits = options.limits ?? DEFAULT_FILE_LIMITS;
  if (file.size > limits.maxFileBytes) throw new FileError('FILE_TOO_LARGE', { bytes: file.size, limit: limits.maxFileBytes });
  return OPENERS[format](file, { ...options, limits, pageSize: options.pageSize ?? 500 });
}

async function openText(
  file: OpenedFile,
  options: { limits: FileLimits; pageSize: number },
  reader: (bytes: Readable, options: TextReaderOptions) => Promise<FileTable>,
): Promise<FileTable> {
  const encoding = await fileEncoding(file.handle);
  return reader(readBytes(file.handle), { encoding, limits: options.limits, pageSize: options.pageSize });
}
