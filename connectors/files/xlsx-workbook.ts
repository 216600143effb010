/**
 * XLSX as a Workbook: every sheet with its state, streamed one at a time.
 * Opening a sheet reads its part twice: a cheap pass for the layout
 * (sheet-xml-scan.ts: hidden columns and rows, merges, which come after the
 * rows in the part), then the rows through exceljs's part parser. Cells
 * follow xlsx-cells.ts.
 */
import type { Readable } from 'node:stream';
import { FileError } from './file-error.js';
import { pagesOf } from './file-table.js';
import { columnLetter, isBlankCell } from './header-row.js';
import type { FileLimits } from './limits.js';
import type { OpenedFile } from './safe-open.js';
import { scanSheetXml } from './sheet-xml-scan.js';
import type { GridRow, SheetGrid, SheetInfo, Workbook } from './workbook.js';
import { cellValue } from './xlsx-cells.js';
import { openXlsxParts, type SheetRow } from './xlsx-parts.js';
import { zipFailure } from './zip-guard.js';

export async function openXlsxWorkbook(file: OpenedFile, options: { limits: FileLimits; pageSize: number }): Promise<Workbook> {
  const { limits } = options;
  const parts = await openXlsxParts(file, limits);
  const sheets: SheetInfo[] = parts.sheets.map((s, index) => ({ name: s.name, index, hidden: s.state === 'hidden' || s.state === 'veryHidden' }));
  let stream: Readable | null = null;
  let closed = false;
  const endSheet = (): void => {
    stream?.destroy();
    stream = null;
  };

  return {
    format: 'xlsx',
    encoding: null,
    sheets,
    async sheet(index) {
      if (closed) throw new Error('the workbook is closed');
      const facts = parts.sheets[index];
      if (!facts) throw new RangeError(`no sheet ${index}`);
      endSheet();
      const partName = parts.partOf(facts);
      if (!partName || !parts.zip.has(partName)) throw new FileError('FILE_XLSX_INVALID', { sheet: facts.name, problem: 'no worksheet' });
      try {
        const scanning = await parts.zip.read(partName);
        let layout;
        try {
          layout = await scanSheetXml(scanning.setEncoding('utf8'));
        } finally {
          scanning.destroy();
        }
        const part = await parts.zip.read(partName);
        stream = part;
        const rows = parts.rowsOf(facts, part);
        let lastRow = 0;
        const next = async (): Promise<GridRow | null> => {
          for (;;) {
            let r: IteratorResult<SheetRow>;
            try {
              r = await rows.next();
            } catch (err) {
              throw withRow(zipFailure(err), facts.name, lastRow + 1);
            }
            if (r.done) return null;
            lastRow = r.value.number;
            const row = gridRow(r.value, layout.hiddenRows.has(r.value.number), limits);
            if (row) return row;
          }
        };
        const grid: SheetGrid = {
          info: sheets[index]!,
          hiddenColumns: layout.hiddenColumns,
          merges: layout.merges,
          rows: () => pagesOf(next, options.pageSize),
        };
        return grid;
      } catch (err) {
        endSheet();
        throw zipFailure(err);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      endSheet();
      parts.close();
    },
  };
}

/** null for a row with nothing in it. */
function gridRow(source: SheetRow, hidden: boolean, limits: FileLimits): GridRow | null {
  const row: GridRow = { rowNumber: source.number, cells: [], problems: [], hidden };
  for (let col = 1; col < source.values.length; col++) {
    const outcome = cellValue(source.values[col], `${columnLetter(col)}${source.number}`, limits.maxCellChars);
    if ('problem' in outcome) {
      row.problems.push({ column: col - 1, problem: outcome.problem });
      row.cells.push(null);
    } else row.cells.push(outcome.value);
  }
  while (row.cells.length > 0 && row.cells[row.cells.length - 1] === null) row.cells.pop();
  return row.problems.length === 0 && row.cells.every((c) => isBlankCell(c)) ? null : row;
}

function withRow(err: unknown, sheet: string, row: number): unknown {
  if (err instanceof FileError && err.code === 'FILE_XLSX_INVALID' && !('row' in err.params)) {
    return new FileError('FILE_XLSX_INVALID', { sheet, row, ...err.params }, { cause: err });
  }
  return err;
}
