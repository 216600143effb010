/**
 * A sample export as `profile suggest` looks at it: every sheet's grid held
 * in memory (a sample is one export a clerk hands over, not a month of
 * them), so the header can be searched, the category chosen and the rows
 * tried without reading the file twice. Pure data.
 */
import type { CellRange, GridRow, SheetInfo, WorkbookFormat } from '../../../connectors/files/workbook.js';

export interface SampleSheet {
  info: SheetInfo;
  hiddenColumns: ReadonlySet<number>;
  merges: readonly CellRange[];
  /** In order, wholly blank rows left out (as the reader gives them). */
  rows: readonly GridRow[];
  /** True when the reader stopped before the sheet's end (the sample cap). */
  cut?: boolean;
}

export interface Sample {
  /** The file's name as the clerk saved it, without folders. */
  fileName: string;
  format: WorkbookFormat;
  sheets: readonly SampleSheet[];
}

/** The sheet's name as a report writes it, `sheet!row`; CSV has no sheet name. */
export function rowLabel(sheet: string, row: number): string {
  return sheet === '' ? `第${row}行` : `${sheet}!${row}`;
}
