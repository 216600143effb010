/**
 * XLSX, streamed: the archive is judged first (zip-guard.ts), then exceljs
 * parses the parts it needs one after another — relationships, workbook,
 * styles (to tell dates from numbers), shared strings, and the one sheet
 * to read — straight from yauzl's streams. Other sheets (notes, code
 * tables) are never inflated.
 *
 * exceljs's WorkbookReader would find parts by scanning local zip headers,
 * and park sheets in temp files when the shared strings come later in the
 * archive (as Excel writes them); driving its part parsers ourselves keeps
 * the checked central directory the only map of the file, and needs no
 * temp files. Those parsers are exceljs internals, so the subset used is
 * typed here, and the XLSX tests pin it.
 *
 * Which sheet: the one named `sheet` (the template's data sheet) if the
 * workbook has it, wherever it sits; otherwise the first visible sheet in
 * the order the tabs show. The header row is `headerRow` if given, else the
 * first row with anything in it.
 */
import type { FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Value } from '../contract.js';
import { FileError } from './file-error.js';
import { pagesOf, type FileRow, type FileTable, type RowProblem } from './file-table.js';
import { columnLetter, headerNames, rowFromCells } from './header-row.js';
import type { FileLimits } from './limits.js';
import { cellValue } from './xlsx-cells.js';
import { CheckedZip, zipFailure } from './zip-guard.js';

export interface XlsxReaderOptions {
  limits: FileLimits;
  pageSize: number;
  /** The sheet to prefer, e.g. the template's '数据'. */
  sheet?: string;
  /** 1-based row of the column names; by default the first row with content. */
  headerRow?: number;
}

export interface SheetFacts {
  id: number;
  name: string;
  rId: string;
  state?: string;
}

/** The sheet to read, by the rule above. Pure. */
export function chooseSheet(sheets: readonly SheetFacts[], wanted?: string): SheetFacts | null {
  const named = wanted === undefined ? undefined : sheets.find((s) => s.name.trim() === wanted.trim());
  return named ?? sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0] ?? null;
}

/** The exceljs internals driven here: WorkbookReader's part parsers and what they leave behind. */
interface PartParsers {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<SheetRow> }>;
  model?: { sheets?: SheetFacts[] };
  workbookRels?: { Id: string; Target: string }[];
}

interface SheetRow {
  number: number;
  /** 1-based: values[1] is column A; holes for empty cells. */
  values: unknown[];
}

export async function openXlsx(file: { handle: FileHandle; size: number }, options: XlsxReaderOptions): Promise<FileTable> {
  const { limits } = options;
  const zip = await CheckedZip.open(file.handle, file.size, limits.zip);
  let sheetStream: Readable | null = null;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    sheetStream?.destroy();
    zip.close();
  };

  try {
    const parts = new ExcelJS.stream.xlsx.WorkbookReader(null as unknown as Readable, {
      sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
    }) as unknown as PartParsers;
    if (!zip.has('xl/workbook.xml') || !zip.has('xl/_rels/workbook.xml.rels')) {
      throw new FileError('FILE_XLSX_INVALID', { problem: 'no workbook part' });
    }
    await parts._parseRels(await zip.read('xl/_rels/workbook.xml.rels'));
    await parts._parseWorkbook(await zip.read('xl/workbook.xml'));
    if (zip.has('xl/styles.xml')) await parts._parseStyles(await zip.read('xl/styles.xml'));
    if (zip.has('xl/sharedStrings.xml')) {
      for await (const _ of parts._parseSharedStrings(await zip.read('xl/sharedStrings.xml'))) void _;
    }

    const sheet = chooseSheet(parts.model?.sheets ?? [], options.sheet);
    const target = sheet && parts.workbookRels?.find((r) => r.Id === sheet.rId)?.Target;
    if (!sheet || !target) throw new FileError('FILE_XLSX_INVALID', { problem: 'no worksheet' });
    const partName = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
    sheetStream = await zip.read(partName);
    const sheetNo = /(\d+)\.xml$/i.exec(partName)?.[1] ?? '1';
    const emitted = parts._parseWorksheet(sheetStream, sheetNo).next();
    if (emitted.done) throw new FileError('FILE_XLSX_INVALID', { problem: 'worksheet not readable' });
    const rows = emitted.value.value[Symbol.asyncIterator]();
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
