/**
 * Where a sheet's header is, before any profile says: the row among the
 * first 30 whose cells name the most fields of a standard (titles, 导出时间
 * and units above it name none), or two rows when the header is two rows
 * tall, a group cell over its sub-columns. The columns are composed and the
 * data rows told from footers by the drop folder's own shaping
 * (profiles/shape.ts), so the names proposed are the names it will bind.
 * Pure.
 */
import type { GridRow } from '../../../connectors/files/workbook.js';
import type { Standard } from '../../standards/types.js';
import { cellText, composeHeader, HEADER_SEARCH_ROWS, RowClassifier, type ShapedColumn, type SheetShape } from '../shape.js';
import { matchHeaders, type HeaderMapping } from './match-headers.js';
import type { SampleSheet } from './sample.js';

/** A header must name at least this many fields, one of them exactly, to be taken for one. */
const MIN_FIELDS = 2;

export interface FoundHeader {
  /** Row number of the (first) header row, as the spreadsheet shows it. */
  row: number;
  rows: 1 | 2;
  /** Index in the sheet's rows of the first row below the header. */
  dataFrom: number;
  columns: readonly ShapedColumn[];
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
  const rows = sheet.rows.filter((r) => r.rowNumber <= HEADER_SEARCH_ROWS);
  const single = (row: GridRow) => composeHeader(row, null, sheet).columns;
  const singles = rows.map((row) => (headerLike(row) ? matchHeaders(standard, single(row)) : null));
  let best: FoundHeader | null = null;
  rows.forEach((row, i) => {
    const one = singles[i];
    if (!one) return;
    let found: FoundHeader = { row: row.rowNumber, rows: 1, dataFrom: i + 1, columns: single(row), mapping: one };
    const next = sheet.rows[i + 1];
    if (next && next.rowNumber === row.rowNumber + 1) {
      const columns = composeHeader(row, next, sheet).columns;
      const two = matchHeaders(standard, columns);
      const nextAlone = singles[i + 1]?.score ?? 0;
      if (two.score > Math.max(one.score, nextAlone) || (joinsNextRow(sheet, row.rowNumber) && two.score >= one.score)) {
        found = { row: row.rowNumber, rows: 2, dataFrom: i + 2, columns, mapping: two };
      }
    }
    if (usable(found.mapping) && (best === null || found.mapping.score > best.mapping.score)) best = found;
  });
  return best;
}

export function shapeOf(header: FoundHeader): SheetShape {
  return { headerRow: header.row, headerRows: header.rows, columns: header.columns };
}

/**
 * The data rows under the header as the drop folder tells them (titles,
 * 合计 and 注 rows left out), the columns of the standard's identifying
 * fields standing for the key the profile will have.
 */
export function dataRows(sheet: SampleSheet, header: FoundHeader, standard: Readonly<Standard>): GridRow[] {
  const keyColumns = header.mapping.matches
    .filter((m) => standard.key.includes(m.field.code) || m.field.subject === 'legalCode' || m.field.subject === 'naturalCode')
    .map((m) => m.column.index);
  const classifier = new RowClassifier(shapeOf(header), keyColumns);
  return sheet.rows.filter((r) => classifier.classify(r) === 'data');
}

/** The header matched again with the values below it, so a date field is not given a column of names by spelling alone. */
export function refineHeader(sheet: SampleSheet, header: FoundHeader, standard: Readonly<Standard>): FoundHeader {
  const data = dataRows(sheet, header, standard).slice(0, 500);
  return { ...header, mapping: matchHeaders(standard, header.columns, (c) => data.map((r) => r.cells[c] ?? null)) };
}
