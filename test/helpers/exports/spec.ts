/**
 * What an export of the corpus is: sheets laid out as a national or
 * provincial system writes them, the profile a department would configure
 * for it, and what the gateway must make of every data row.
 */

/** A date cell: stored as a spreadsheet serial with this number format (CSV: not allowed, dates are text there). */
export interface DateCell {
  date: string; // 'YYYY-MM-DD'
  format?: string; // Excel number format; default 'yyyy-mm-dd'
}

export type Cell = string | number | null | DateCell;

/** A header column: its text, or a group over sub-columns (a two-row header with the group merged across). */
export type HeaderColumn = string | { group: string; columns: string[] };

/** What the gateway must make of a data row. */
export type RowExpectation =
  /** Delivered: key values in the profile's key order; the fields listed must arrive with these values. */
  | { good: { key: string[]; data: Record<string, string | number | null>; subject?: { kind: string; name: string; code: string } } }
  /** Refused and reported: the column by its header in the export, the reason code. */
  | { bad: { column: string; code: string } }
  /** In a sheet no profile reads (hidden, notes): nothing of it may arrive. */
  | { unread: true };

export interface DataRow {
  /** Cells by column name as composed from the header (`上/下` for a grouped column). */
  cells: Record<string, Cell>;
  expect: RowExpectation;
}

export interface SheetSpec {
  name: string;
  hidden?: boolean;
  /** Rows above the header: titles, 导出时间, units. Each row's first cell is merged across the header's width when it is alone. */
  above?: Cell[][];
  header: HeaderColumn[];
  /** Columns (composed names) the system hides. */
  hiddenColumns?: string[];
  rows: DataRow[];
  /** Rows below the data: 合计, 注, 制表人. */
  below?: Cell[][];
  /** The profile that must claim this sheet; absent: the sheet is skipped (not data, hidden, or unclaimed). */
  profile?: string;
}

export type Writer = 'xlwt-xls' | 'sheetjs-xls' | 'sheetjs-xlsx' | 'exceljs-xlsx' | 'wps-xlsx' | 'csv-gbk' | 'csv-utf8-bom';

/** A profile as section 2 of the design writes it (the configuration's `profiles:` entries). */
export interface Profile {
  name: string;
  title?: string;
  origin?: 'system' | 'returned' | 'own';
  system?: string;
  sources?: string[];
  match: { name?: string[]; headers?: string[] };
  sheets?: { include?: string[]; exclude?: string[]; hidden?: boolean };
  header?: { row?: number; rows?: 1 | 2 };
  category: string;
  key?: string[];
  subject: { kind: string | { column: string; values: Record<string, string> }; name: string; code: string };
  fields: Record<string, string | Record<string, unknown>>;
  deleted?: { column: string; values: (string | number)[] };
}

export interface ExportSpec {
  /** The file name as the system or the clerk saves it. */
  file: string;
  writer: Writer;
  /** What the export stands for, for test names. */
  what: string;
  sheets: SheetSpec[];
  profiles: Profile[];
}

/** A sheet laid out as cells: what every writer renders. */
export interface Grid {
  name: string;
  hidden: boolean;
  rows: Cell[][];
  /** 0-based inclusive rows and columns. */
  merges: { top: number; bottom: number; left: number; right: number }[];
  hiddenColumns: number[];
  /** Where each data row landed: the row number as the spreadsheet shows it (1-based), in the order of `rows`. */
  dataRowNumbers: number[];
  /** The composed column names, in column order. */
  columns: string[];
}

export function isDateCell(cell: Cell): cell is DateCell {
  return typeof cell === 'object' && cell !== null;
}
