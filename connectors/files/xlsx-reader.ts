/**
 * XLSX as a template table, streamed: the workbook's parts are read once
 * (xlsx-parts.ts), then the one sheet to read; other sheets (notes, code
 * tables) are never inflated.
 *
 * Which sheet: the one named `sheet` (the template's data sheet) if the
 * workbook has it, wherever it sits; otherwise the first visible sheet in
 * the order the tabs show. The header row is `headerRow` if given, else the
 * first row with anything in it.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Value } from '../contract.js';
import { FileError } from './file-error.js';
import { pagesOf, type FileRow, type FileTable, type RowProblem } from './file-table.js';
import { columnLetter, headerNames, rowFromCells } from './header-row.js';
import type { FileLimits } from './limits.js';
import { cellValue } from './xlsx-cells.js';
import { openXlsxParts, type SheetFacts, type SheetRow } from './xlsx-parts.js';
import { zipFailure } from './zip-guard.js';

export type { SheetFacts } from './xlsx-parts.js';

export interface XlsxReaderOptions {
  limits: FileLimits;
  pageSize: number;
  /** The sheet to prefer, e.g. the template's '数据'. */
  sheet?: string;
  /** 1-based row of the column names; by default the first row with content. */
  headerRow?: number;
}

/** The sheet to read, by the rule above. Pure. */
export function chooseSheet(sheets: readonly SheetFacts[], wanted?: string): SheetFacts | null {
  const named = wanted === undefined ? undefined : sheets.find((s) => s.name.trim() === wanted.trim());
  return named ?? sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0] ?? null;
}

export async function openXlsx(file: { handle: FileHandle; size: number }, options: XlsxReaderOptions): Promise<FileTable> {
  const { limits } = options;
  const parts = await openXlsxParts(file, limits);
  let sheetStream: Readable | null = null;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    sheetStream?.destroy();
    parts.close();
  };

  try {
    const sheet = chooseSheet(parts.sheets, options.sheet);
    const partName = sheet && parts.partOf(sheet);
    if (!sheet || !partName) throw new FileError('FILE_XLSX_INVALID', { problem: 'no worksheet' });
    sheetStream = await parts.zip.read(partName);
    const rows = parts.rowsOf(sheet, sheetStream);
    let lastRow = 0;

    const nextRow = async (): Promise<SheetRow | null> => {
      try {
        const r = await rows.next();
        if (r.done) return null;
        lastRow = r.value.number;
        return r.value;
      } catch (err) {
        throw xlsxFailure(err, lastRow + 1);
      }
    };

    let header: SheetRow | null;
    do header = await nextRow();
    while (header !== null && (options.headerRow !== undefined ? header.number < options.headerRow : isEmptyRow(header)));
    if (header === null || (options.headerRow !== undefined && header.number !== options.headerRow)) throw new FileError('FILE_EMPTY');
    const headers = headerNames(headerCells(header, limits), limits);
    const headerRow = header.number;

    const nextFileRow = async (): Promise<FileRow | null> => {
      for (let row = await nextRow(); row !== null; row = await nextRow()) {
        const fileRow = readRow(row, headers, limits);
        if (fileRow) return fileRow;
      }
      return null;
    };

    return {
      format: 'xlsx',
      encoding: null,
      sheet: sheet.name,
      headerRow,
      headers,
      pages: () => pagesOf(nextFileRow, options.pageSize),
      close,
    };
  } catch (err) {
    await close();
    throw xlsxFailure(err, 0);
  }
}

function isEmptyRow(row: SheetRow): boolean {
  return row.values.every((v) => v === null || v === undefined || (typeof v === 'string' && v.trim() === ''));
}

function headerCells(row: SheetRow, limits: FileLimits): (string | null)[] {
  const cells: (string | null)[] = [];
  for (let col = 1; col < row.values.length; col++) {
    const outcome = cellValue(row.values[col], `${columnLetter(col)}${row.number}`, limits.maxCellChars);
    if ('problem' in outcome) throw new FileError(outcome.problem.code, { row: row.number, ...outcome.problem.params });
    cells.push(outcome.value === null ? null : String(outcome.value));
  }
  return cells;
}

function readRow(row: SheetRow, headers: readonly string[], limits: FileLimits): FileRow | null {
  const cells: Value[] = [];
  const problems: RowProblem[] = [];
  for (let col = 1; col < row.values.length; col++) {
    const outcome = cellValue(row.values[col], `${columnLetter(col)}${row.number}`, limits.maxCellChars);
    if ('problem' in outcome) {
      problems.push({ ...outcome.problem, column: headers[col - 1] ?? null });
      cells.push(null);
    } else cells.push(outcome.value);
  }
  const assembled = rowFromCells(headers, cells, row.number, limits, { strictWidth: false });
  if (assembled === null) {
    // A row whose only content was refused (a lone formula) must still be reported, not skipped as blank.
    if (problems.length === 0) return null;
    const values = Object.create(null) as Record<string, Value>;
    for (const h of headers) values[h] = null;
    return { rowNumber: row.number, values, problems };
  }
  assembled.problems.push(...problems);
  return assembled;
}

/** Anything thrown while reading a workbook, in the catalogue's terms. */
function xlsxFailure(err: unknown, row: number): unknown {
  const mapped = zipFailure(err);
  if (mapped instanceof FileError && mapped.code === 'FILE_XLSX_INVALID' && row > 0 && !('row' in mapped.params)) {
    return new FileError('FILE_XLSX_INVALID', { row, ...mapped.params }, { cause: err });
  }
  return mapped;
}
