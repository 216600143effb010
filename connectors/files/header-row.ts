/**
 * The header row of a file and the cells of a data row, judged the same way
 * for every format. Pure: cells in, names or problems out.
 */
import type { Value } from '../contract.js';
import { FileError } from './file-error.js';
import type { FileRow, RowProblem } from './file-table.js';
import { emptyValues } from './file-table.js';
import type { FileLimits } from './limits.js';

/** Spreadsheet column name of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** Whitespace Chinese keyboards add (ideographic space) and BOMs left by careless concatenation. */
export function tidyHeader(text: string): string {
  return text.replace(/^[\s\u3000\ufeff]+|[\s\u3000\ufeff]+$/g, '');
}

/**
 * The column names of a header row. Empty cells after the last name are
 * not columns (spreadsheets export them); an empty name between two names,
 * a name used twice, or more columns than allowed refuse the file.
 */
export function headerNames(cells: readonly (string | null)[], limits: Pick<FileLimits, 'maxColumns' | 'maxCellChars'>): string[] {
  const names = cells.map((c) => (c === null ? '' : tidyHeader(c)));
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  if (names.length === 0) throw new FileError('FILE_EMPTY');
  if (names.length > limits.maxColumns) {
    throw new FileError('FILE_TOO_MANY_COLUMNS', { columns: names.length, limit: limits.maxColumns });
  }
  const empty = names.flatMap((n, i) => (n === '' ? [columnLetter(i + 1)] : []));
  if (empty.length > 0) throw new FileError('FILE_HEADER_EMPTY', { columns: empty.join('、') });
  const long = names.find((n) => n.length > limits.maxCellChars);
  if (long !== undefined) throw new FileError('FILE_CELL_TOO_LARGE', { chars: long.length, limit: limits.maxCellChars });
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const n of names) (seen.has(n) ? repeated : seen).add(n);
  if (repeated.size > 0) throw new FileError('FILE_HEADER_DUPLICATE', { headers: [...repeated].join('、') });
  return names;
}

export function isBlankCell(value: Value | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * A data row from its cells in column order. Cells past the header must be
 * empty (trailing separators); a row with fewer cells than the header, or
 * with text past it, is ragged: its values would land under the wrong names.
 * Returns null for a row with nothing in it.
 *
 * `strictWidth` is for CSV, where a short row means a lost separator;
 * spreadsheets simply leave empty cells out.
 */
export function rowFromCells(
  headers: readonly string[],
  cells: readonly Value[],
  rowNumber: number,
  limits: Pick<FileLimits, 'maxCellChars'>,
  options: { strictWidth: boolean; cellName?: (column: number) => string } = { strictWidth: true },
): FileRow | null {
  if (cells.every((c) => isBlankCell(c))) return null;
  const problems: RowProblem[] = [];
  const values = emptyValues();
  headers.forEach((header, i) => {
    const cell = i < cells.length ? cells[i]! : null;
    if (typeof cell === 'string' && cell.length > limits.maxCellChars) {
      problems.push({ code: 'FILE_CELL_TOO_LARGE', column: header, params: { cell: cellName(i + 1), chars: cell.length, limit: limits.maxCellChars } });
      values[header] = null;
    } else values[header] = cell;
  });
  let filled = cells.length;
  while (filled > headers.length && isBlankCell(cells[filled - 1])) filled -= 1;
  if (filled > headers.length || (options.strictWidth && cells.length < headers.length)) {
    problems.unshift({ code: 'FILE_ROW_RAGGED', column: null, params: { cells: filled, expected: headers.length } });
  }
  return { rowNumber, values, problems };

  function cellName(column: number): string {
    return options.cellName ? options.cellName(column) : `${columnLetter(column)}${rowNumber}`;
  }
}
