/**
 * Where a sheet's header is: the row among the first 30 whose cells name
 * the most fields of a standard (titles, 导出时间 and units above it name
 * none), or two rows when the header is two rows tall, a group cell over
 * its sub-columns. Pure.
 */
import type { GridRow } from '../../../connectors/files/workbook.js';
import type { Standard } from '../../standards/types.js';
import { singleRowHeader, twoRowHeader, type HeaderColumn } from './header-columns.js';
import { matchHeaders, type HeaderMapping } from './match-headers.js';
import { cellText, type SampleSheet } from './sample.js';

/** Rows searched for the header, as the drop folder searches for a profile's signature. */
export const HEADER_SEARCH_ROWS = 30;

/** A header must name at least this many fields, one of them exactly, to be taken for one. */
const MIN_FIELDS = 2;

export interface FoundHeader {
  /** Row number of the (first) header row, as the spreadsheet shows it. */
  row: number;
  rows: 1 | 2;
  /** Index in the sheet's rows of the first data row. */
  dataFrom: number;
  columns: HeaderColumn[];
  mapping: HeaderMapping;
}

/** A row that could be a header: two text cells or more that are not numbers or dates. */
function headerLike(row: GridRow): boolean {
  return row.cells.filter((c) => typeof c === 'string' && !/^[\d\s.:/-]+$/.test(c) && cellText(c) !== '').length >= 2;
}

/** A merge that makes rows `upper` and the next one a two-row header: a group over sub-columns, or a cell merged down over both. */
function joinsNextRow(sheet: SampleSheet, upper: number): boolean {
  return sheet.merges.some((m) => m.top === upper && (m.bottom === upper + 1 || (m.bottom === upper && m.right > m.left)));
}

function usable(mapping: HeaderMapping): boolean {
  return mapping.matches.length >= MIN_FIELDS && mapping.score > mapping.matches.length;
}

/** The sheet's header for this standard, or null when no row of the first 30 names enough of its fields. */
export function findHeader(sheet: SampleSheet, standard: Readonly<Standard>): FoundHeader | null {
  const rows = sheet.rows.slice(0, HEADER_SEARCH_ROWS);
  const singles = rows.map((row) => (headerLike(row) ? matchHeaders(standard, singleRowHeader(row, sheet.hiddenColumns)) : null));
  let best: FoundHeader | null = null;
  rows.forEach((row, i) => {
    const single = singles[i];
    if (!single) return;
    let found: FoundHeader = { row: row.rowNumber, rows: 1, dataFrom: i + 1, columns: singleRowHeader(row, sheet.hiddenColumns), mapping: single };
    const next = rows[i + 1];
    if (next && next.rowNumber === row.rowNumber + 1) {
      const columns = twoRowHeader(row, next, sheet.merges, sheet.hiddenColumns);
      const double = matchHeaders(standard, columns);
      const nextAlone = singles[i + 1]?.score ?? 0;
      if (double.score > Math.max(single.score, nextAlone) || (joinsNextRow(sheet, row.rowNumber) && double.score >= single.score)) {
        found = { row: row.rowNumber, rows: 2, dataFrom: i + 2, columns, mapping: double };
      }
    }
    if (usable(found.mapping) && (best === null || found.mapping.score > best.mapping.score)) best = found;
  });
  return best;
}

/** The values of one column in the rows below the header, for judging what it holds. */
export function columnValues(sheet: SampleSheet, header: FoundHeader, column: number, limit = 500): GridRow['cells'] {
  return sheet.rows.slice(header.dataFrom, header.dataFrom + limit).map((r) => r.cells[column] ?? null);
}

/** The header matched again with the values below it, so a date field is not given a column of names by spelling alone. */
export function refineHeader(sheet: SampleSheet, header: FoundHeader, standard: Readonly<Standard>): FoundHeader {
  return { ...header, mapping: matchHeaders(standard, header.columns, (c) => columnValues(sheet, header, c)) };
}
