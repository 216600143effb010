/**
 * The .xls parsing worker: SheetJS reads the whole BIFF file here, inside a
 * worker thread with a capped heap and a time limit (xls-workbook.ts), and
 * only plain grids travel back. This is the one module that imports
 * @e965/xlsx, so the library never runs on the gateway's own thread.
 *
 * Options: cellNF to tell dates by their format, cellFormula to refuse
 * formulas, cellStyles for hidden columns and rows, dense sheets so a
 * forged range (A1:IV65536) costs nothing; no VBA, no evaluation.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as XLSX from '@e965/xlsx';
import { columnLetter } from './header-row.js';
import { CJK_BUILTIN_FORMATS } from './number-formats.js';
import type { CellRange, GridRow } from './workbook.js';
import { xlsCellValue, type SheetJsCell } from './xls-cells.js';

export interface XlsRequest {
  bytes: Uint8Array;
  maxCellChars: number;
}

export interface XlsSheet {
  name: string;
  hidden: boolean;
  merges: CellRange[];
  hiddenColumns: number[];
  rows: GridRow[];
}

export type XlsReply =
  | { ok: true; sheets: XlsSheet[] }
  | { ok: false; code: 'FILE_XLS_ENCRYPTED' | 'FILE_XLS_INVALID'; problem: string };

interface DenseSheet {
  '!data'?: (SheetJsCell | undefined)[][];
  '!merges'?: { s: { r: number; c: number }; e: { r: number; c: number } }[];
  '!cols'?: ({ hidden?: boolean } | undefined)[];
  '!rows'?: ({ hidden?: boolean } | undefined)[];
}

export function parseXls(request: XlsRequest): XlsReply {
  // Locale built-ins a Chinese Excel leaves out of the file; a FORMAT record in the file replaces them as it is read.
  for (const [id, format] of Object.entries(CJK_BUILTIN_FORMATS)) XLSX.SSF.load(format, Number(id));
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(request.bytes, {
      type: 'buffer', dense: true, cellDates: false, cellNF: true, cellFormula: true, cellStyles: true, cellHTML: false,
      bookVBA: false, bookDeps: false, WTF: false,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/password|encrypt/i.test(message)) return { ok: false, code: 'FILE_XLS_ENCRYPTED', problem: message.slice(0, 200) };
    return { ok: false, code: 'FILE_XLS_INVALID', problem: message.slice(0, 200) };
  }
  const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
  const states = book.Workbook?.Sheets ?? [];
  const sheets = book.SheetNames.map((name, index): XlsSheet => {
    const sheet = (book.Sheets[name] ?? {}) as DenseSheet;
    return {
      name,
      hidden: Boolean(states[index]?.Hidden),
      merges: (sheet['!merges'] ?? []).map((m) => ({ top: m.s.r + 1, left: m.s.c, bottom: m.e.r + 1, right: m.e.c })),
      hiddenColumns: flagged(sheet['!cols']),
      rows: gridRows(sheet, { maxChars: request.maxCellChars, date1904 }),
    };
  });
  return { ok: true, sheets };
}

function flagged(list: ({ hidden?: boolean } | undefined)[] | undefined): number[] {
  const hidden: number[] = [];
  list?.forEach((entry, index) => {
    if (entry?.hidden) hidden.push(index);
  });
  return hidden;
}

function gridRows(sheet: DenseSheet, options: { maxChars: number; date1904: boolean }): GridRow[] {
  const hiddenRows = new Set(flagged(sheet['!rows']));
  const rows: GridRow[] = [];
  // forEach skips the holes of a sparse array: empty rows and cells cost nothing.
  sheet['!data']?.forEach((cells, r) => {
    const row: GridRow = { rowNumber: r + 1, cells: [], problems: [], hidden: hiddenRows.has(r) };
    let filled = false;
    cells?.forEach((raw, c) => {
      if (!raw) return;
      const outcome = xlsCellValue(raw, `${columnLetter(c + 1)}${r + 1}`, options);
      while (row.cells.length < c) row.cells.push(null);
      if ('problem' in outcome) {
        row.problems.push({ column: c, problem: outcome.problem });
        row.cells[c] = null;
        filled = true;
      } else {
        row.cells[c] = outcome.value;
        if (outcome.value !== null && !(typeof outcome.value === 'string' && outcome.value.trim() === '')) filled = true;
      }
    });
    while (row.cells.length > 0 && row.cells[row.cells.length - 1] === null) row.cells.pop();
    if (filled) rows.push(row);
  });
  return rows;
}

if (parentPort && workerData && (workerData as { xls?: unknown }).xls) {
  parentPort.postMessage(parseXls((workerData as { xls: XlsRequest }).xls));
}
