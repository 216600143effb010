/**
 * Every readable file as a workbook of cell grids: the shape real exports
 * have (titles above the header, notes below, two-row headers over merged
 * cells, hidden columns and sheets, one sheet per month) is the gateway's
 * to interpret; this layer only says faithfully what is in each cell, where,
 * and what is hidden or merged. CSV and NDJSON are one-sheet workbooks.
 *
 * Cell values follow one set of rules for every format (xlsx-cells.ts): text
 * as written, dates as the wall-clock day typed, numbers as numbers unless
 * precision was lost, formulas and error values refused per cell.
 */
import type { Value } from '../contract.js';
import type { TextEncoding } from './encoding.js';
import { FileError } from './file-error.js';
import type { RowProblem } from './file-table.js';
import type { FileLimits } from './limits.js';
import type { OpenedFile } from './safe-open.js';
import { openTextWorkbook } from './text-workbook.js';
import { CFB_MAGIC, openXlsWorkbook } from './xls-workbook.js';
import { openXlsxWorkbook } from './xlsx-workbook.js';

/** A zip archive's local header signature: every .xlsx starts with it. */
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export type WorkbookFormat = 'csv' | 'xlsx' | 'xls' | 'ndjson';

export interface SheetInfo {
  /** '' for CSV and NDJSON. */
  name: string;
  /** Tab order, 0-based. */
  index: number;
  /** Hidden or very hidden. */
  hidden: boolean;
}

/** Rows 1-based (as shown), columns 0-based, inclusive. */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface GridRow {
  /** The row as the spreadsheet shows it (CSV: the record's first line, header line = 1; NDJSON: the line, the keys row is 0). */
  rowNumber: number;
  /** 0-based columns; null = empty; trailing empties may be cut. */
  cells: Value[];
  /** Refused cells (formula, error, precision, too large); such a cell reads null. */
  problems: { column: number; problem: Omit<RowProblem, 'column'> }[];
  /** The row is hidden in the sheet. */
  hidden: boolean;
}

export interface SheetGrid {
  readonly info: SheetInfo;
  /** 0-based. */
  readonly hiddenColumns: ReadonlySet<number>;
  /** Known before rows() is iterated. */
  readonly merges: readonly CellRange[];
  /** Pages of rows in order; wholly blank rows skipped; iterate once. */
  rows(): AsyncGenerator<GridRow[], void, undefined>;
}

export interface Workbook {
  readonly format: WorkbookFormat;
  readonly encoding: TextEncoding | null;
  /** Tab order. */
  readonly sheets: readonly SheetInfo[];
  /** One sheet at a time: opening another ends the rows of the one before. */
  sheet(index: number): Promise<SheetGrid>;
  /** Idempotent. */
  close(): Promise<void>;
}

export interface WorkbookOptions {
  limits: FileLimits;
  /** Rows per page (default 500). */
  pageSize?: number;
}

/** The workbook of an opened file; the caller keeps owning (and closes) the file handle. */
export async function openWorkbook(file: OpenedFile, format: WorkbookFormat, options: WorkbookOptions): Promise<Workbook> {
  const { limits } = options;
  if (file.size > limits.maxFileBytes) throw new FileError('FILE_TOO_LARGE', { bytes: file.size, limit: limits.maxFileBytes });
  const settled = { limits, pageSize: options.pageSize ?? 500 };
  switch (format) {
    case 'csv':
    case 'ndjson':
      return openTextWorkbook(file, format, settled);
    case 'xls':
    case 'xlsx':
      return openSpreadsheet(file, format, settled);
  }
}

/**
 * A spreadsheet is read by what it is, not what its name says: an .xlsx
 * renamed .xls (as some systems name their exports) is read as XLSX, and an
 * .xlsx that is an OLE2 compound file — a password-protected workbook, or an
 * .xls renamed — goes to the BIFF reader, which tells the two apart.
 */
async function openSpreadsheet(file: OpenedFile, named: 'xls' | 'xlsx', options: { limits: FileLimits; pageSize: number }): Promise<Workbook> {
  const head = Buffer.alloc(CFB_MAGIC.length);
  const { bytesRead } = await file.handle.read(head, 0, head.length, 0);
  if (bytesRead >= 4 && head.subarray(0, 4).equals(ZIP_MAGIC)) return openXlsxWorkbook(file, options);
  if (bytesRead === head.length && head.equals(CFB_MAGIC)) return openXlsWorkbook(file, options);
  throw new FileError(named === 'xls' ? 'FILE_XLS_INVALID' : 'FILE_XLSX_INVALID', { problem: named === 'xls' ? 'not an Excel 97-2003 file' : 'not a zip archive' });
}
