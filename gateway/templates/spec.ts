/**
 * A data template as plain data: which sheets, which rows, which checks.
 * Built by pure functions from a catalog category and its data standard,
 * and only then written by exceljs or as CSV, so every decision about the
 * content can be tested without opening a file.
 */

/** The sheet clerks fill in; the drop-folder reader looks for it by name before falling back to the first sheet. */
export const DATA_SHEET = '数据';
/** Field meanings, required marks, formats and allowed values, plus the category's metadata. */
export const NOTES_SHEET = '填写说明';
/** Hidden list source for code tables too long to inline in a validation. */
export const CODE_TABLE_SHEET = '代码表';

/** Rows below the header that carry data validations; enough for a department's batch, small enough to read back cheaply. */
export const VALIDATED_ROWS = 5000;

/**
 * A data validation as XLSX stores it, for every data row of one column.
 * Mirrors the OOXML attributes, so the writer passes it through untouched.
 */
export interface ValidationSpec {
  type: 'list' | 'whole' | 'decimal' | 'textLength';
  operator?: 'between' | 'lessThanOrEqual' | 'greaterThanOrEqual' | 'equal';
  /** `"a,b,c"` for an inline list, `'代码表'!$A$2:$A$9` for a range, numbers for bounds. */
  formulae: (string | number)[];
  allowBlank: true;
  /** `stop` refuses the value; `warning` lets the clerk keep it after a prompt. */
  errorStyle: 'stop' | 'warning';
  errorTitle: string;
  error: string;
  promptTitle: string;
  prompt: string;
}

export interface ColumnSpec {
  /** Row 1 text: the field's Chinese name, exactly as the standard spells it (no marks). */
  header: string;
  /** The field code of the standard; kept in the header cell's note, not in a row, so the data table has one header row. */
  code: string;
  required: boolean;
  /** Character width of the column. */
  width: number;
  /** Cells hold text (`@`), so Excel keeps leading zeros, long codes and dates as typed. */
  text: boolean;
  /** The header cell's note: code, required, format and meaning, for whoever hovers over the header. */
  note: string;
  validation?: ValidationSpec;
}

export interface DataSheetSpec {
  name: typeof DATA_SHEET;
  columns: ColumnSpec[];
  /** Last row (1-based, inclusive) that carries the column validations and text format; data starts at row 2. */
  lastValidatedRow: number;
}

/** How a notes row looks; the writer maps each to a font and fill. */
export type NotesRowStyle = 'title' | 'meta' | 'heading' | 'tableHeader' | 'field' | 'requiredField' | 'text';

export interface NotesRow {
  cells: string[];
  style: NotesRowStyle;
}

export interface NotesSheetSpec {
  name: typeof NOTES_SHEET;
  /** Character widths of the notes columns. */
  widths: number[];
  rows: NotesRow[];
}

/** One code table as a column of the hidden list sheet: the header is the table's name, then one allowed value per row. */
export interface CodeListColumn {
  header: string;
  values: string[];
}

export interface CodeTableSheetSpec {
  name: typeof CODE_TABLE_SHEET;
  columns: CodeListColumn[];
}

export interface TemplateSpec {
  category: { code: string; name: string; providerName: string; infoType: string };
  standard: { code: string; name: string; version: string };
  /** Default file name without extension: `<category code>_<category name>`, safe on Windows. */
  baseName: string;
  data: DataSheetSpec;
  notes: NotesSheetSpec;
  /** Present only when some code table is too long for an inline list. */
  codeTables?: CodeTableSheetSpec;
}
