/**
 * CSV and NDJSON as one-sheet workbooks (sheet name ''), on the same
 * streaming readers and the same encoding decision as the template tables.
 *
 * CSV cells are text as written ('' reads null); a cell longer than the
 * limit is refused. An NDJSON file has no header row of its own: the keys of
 * its first object come out as row 0, then each object's values in that key
 * order at its line number; a later object with keys the first lacked is
 * refused as a whole row (problem column -1), as the table reader does.
 */
import type { Value } from '../contract.js';
import { csvRecords } from './csv-reader.js';
import { decodeText, fileEncoding, type TextEncoding } from './encoding.js';
import { BatchCursor, pagesOf } from './file-table.js';
import { isBlankCell, tidyHeader } from './header-row.js';
import type { FileLimits } from './limits.js';
import { parseLine, scalar, splitLines } from './ndjson-reader.js';
import { readBytes, type OpenedFile } from './safe-open.js';
import type { GridRow, SheetGrid, SheetInfo, Workbook } from './workbook.js';

const ONLY_SHEET: SheetInfo = Object.freeze({ name: '', index: 0, hidden: false });

export async function openTextWorkbook(
  file: OpenedFile,
  format: 'csv' | 'ndjson',
  options: { limits: FileLimits; pageSize: number },
): Promise<Workbook> {
  const encoding = await fileEncoding(file.handle);
  let current: { close(): Promise<void> } | null = null;
  let closed = false;
  const ended = async (): Promise<void> => {
    const open = current;
    current = null;
    await open?.close();
  };
  return {
    format,
    encoding,
    sheets: [ONLY_SHEET],
    async sheet(index) {
      if (closed) throw new Error('the workbook is closed');
      if (index !== 0) throw new RangeError(`no sheet ${index}`);
      await ended();
      const rows = format === 'csv' ? csvRows(file, encoding, options.limits) : ndjsonRows(file, encoding, options.limits);
      current = rows;
      return grid(() => pagesOf(rows.next, options.pageSize));
    },
    async close() {
      closed = true;
      await ended();
    },
  };
}

function grid(rows: () => AsyncGenerator<GridRow[], void, undefined>): SheetGrid {
  return { info: ONLY_SHEET, hiddenColumns: new Set(), merges: [], rows };
}

interface RowSource {
  next: () => Promise<GridRow | null>;
  close(): Promise<void>;
}

function csvRows(file: OpenedFile, encoding: TextEncoding, limits: FileLimits): RowSource {
  const records = csvRecords(readBytes(file.handle), { encoding, limits });
  return {
    async next() {
      for (let record = await records.next(); record !== null; record = await records.next()) {
        if (record.every((c) => isBlankCell(c))) continue;
        const row: GridRow = { rowNumber: records.rowNumber, cells: [], problems: [], hidden: false };
        record.forEach((text, column) => {
          if (text.length > limits.maxCellChars) {
            row.problems.push({ column, problem: { code: 'FILE_CELL_TOO_LARGE', params: { chars: text.length, limit: limits.maxCellChars } } });
            row.cells.push(null);
          } else row.cells.push(text === '' ? null : text);
        });
        return row;
      }
      return null;
    },
    close: () => records.close(),
  };
}

function ndjsonRows(file: OpenedFile, encoding: TextEncoding, limits: FileLimits): RowSource {
  const bytes = readBytes(file.handle);
  const lines = new BatchCursor(splitLines(decodeText(bytes, encoding), limits.maxRowBytes));
  let keys: string[] | null = null;
  const early: GridRow[] = [];
  const whole = (rowNumber: number, problem: GridRow['problems'][number]['problem']): GridRow => ({
    rowNumber, cells: [], problems: [{ column: -1, problem }], hidden: false,
  });

  const fromObject = (object: Record<string, unknown>, rowNumber: number, known: readonly string[]): GridRow => {
    const row: GridRow = { rowNumber, cells: known.map(() => null as Value), problems: [], hidden: false };
    const unexpected: string[] = [];
    for (const [rawKey, raw] of Object.entries(object)) {
      const key = tidyHeader(rawKey);
      const column = known.indexOf(key);
      if (column === -1) {
        unexpected.push(key);
        continue;
      }
      const cell = scalar(raw, key, limits);
      if ('problem' in cell) {
        const { column: _, ...problem } = cell.problem;
        row.problems.push({ column, problem });
      } else row.cells[column] = cell.value;
    }
    if (unexpected.length > 0) {
      row.problems.unshift({ column: -1, problem: { code: 'FILE_ROW_RAGGED', params: { unexpected: unexpected.join('、'), expected: known.length } } });
    }
    return row;
  };

  return {
    async next() {
      if (early.length > 0) return early.shift()!;
      for (let line = await lines.next(); line !== null; line = await lines.next()) {
        const parsed = parseLine(line, limits);
        if (parsed === null) continue;
        if ('problem' in parsed) {
          const { column: _, ...problem } = parsed.problem;
          const refused = whole(line.number, problem);
          if (keys === null) early.push(refused);
          else return refused;
          continue;
        }
        if (keys === null) {
          keys = Object.keys(parsed.object).map((k) => tidyHeader(k));
          early.push(fromObject(parsed.object, line.number, keys));
          return { rowNumber: 0, cells: [...keys], problems: [], hidden: false };
        }
        return fromObject(parsed.object, line.number, keys);
      }
      // Without an object there are no keys: the refused lines still come out, for the report.
      return early.shift() ?? null;
    },
    async close() {
      await lines.close();
      bytes.destroy();
    },
  };
}
