/**
 * A template-shaped sheet of a Workbook as a FileTable, for formats read as
 * grids only (.xls): the same sheet choice and header rule as the XLSX
 * table reader, so a template saved as .xls works the template way.
 */
import type { Value } from '../contract.js';
import { FileError } from './file-error.js';
import { emptyValues, pagesOf, type FileRow, type FileTable, type RowProblem } from './file-table.js';
import { headerNames, rowFromCells } from './header-row.js';
import type { FileLimits } from './limits.js';
import type { DropFormat } from './naming.js';
import type { GridRow, SheetInfo, Workbook } from './workbook.js';

export interface GridTableOptions {
  limits: FileLimits;
  pageSize: number;
  /** The sheet to prefer, e.g. the template's '数据'. */
  sheet?: string;
  /** 1-based row of the column names; by default the first row with content. */
  headerRow?: number;
}

/** The named sheet if there is one, else the first visible one, else the first. Pure. */
export function chooseGridSheet(sheets: readonly SheetInfo[], wanted?: string): SheetInfo | null {
  const named = wanted === undefined ? undefined : sheets.find((s) => s.name.trim() === wanted.trim());
  return named ?? sheets.find((s) => !s.hidden) ?? sheets[0] ?? null;
}

/** The table of one sheet; closing the table closes the workbook. */
export async function tableFromWorkbook(book: Workbook, options: GridTableOptions): Promise<FileTable> {
  const { limits } = options;
  try {
    const info = chooseGridSheet(book.sheets, options.sheet);
    if (!info) throw new FileError('FILE_EMPTY');
    const grid = await book.sheet(info.index);
    const pages = grid.rows();
    let page: GridRow[] = [];
    const nextGridRow = async (): Promise<GridRow | null> => {
      while (page.length === 0) {
        const r = await pages.next();
        if (r.done) return null;
        page = r.value;
      }
      return page.shift()!;
    };

    let header: GridRow | null;
    do header = await nextGridRow();
    while (header !== null && options.headerRow !== undefined && header.rowNumber < options.headerRow);
    if (header === null || (options.headerRow !== undefined && header.rowNumber !== options.headerRow)) throw new FileError('FILE_EMPTY');
    const refused = header.problems[0];
    if (refused) throw new FileError(refused.problem.code, { row: header.rowNumber, ...refused.problem.params });
    const headers = headerNames(header.cells.map((c) => (c === null ? null : String(c))), limits);

    const nextRow = async (): Promise<FileRow | null> => {
      for (let row = await nextGridRow(); row !== null; row = await nextGridRow()) {
        const fileRow = tableRow(row, headers, limits);
        if (fileRow) return fileRow;
      }
      return null;
    };
    return {
      format: book.format as DropFormat,
      encoding: book.encoding,
      sheet: info.name,
      headerRow: header.rowNumber,
      headers,
      pages: () => pagesOf(nextRow, options.pageSize),
      close: () => book.close(),
    };
  } catch (err) {
    await book.close();
    throw err;
  }
}

function tableRow(row: GridRow, headers: readonly string[], limits: FileLimits): FileRow | null {
  const problems: RowProblem[] = row.problems.map((p) => ({ ...p.problem, column: headers[p.column] ?? null }));
  const assembled = rowFromCells(headers, row.cells as Value[], row.rowNumber, limits, { strictWidth: false });
  if (assembled === null) {
    // A row whose only content was refused (a lone formula) must still be reported, not skipped as blank.
    if (problems.length === 0) return null;
    const values = emptyValues();
    for (const h of headers) values[h] = null;
    return { rowNumber: row.rowNumber, values, problems };
  }
  assembled.problems.push(...problems);
  return assembled;
}
