/**
 * A TemplateSpec as an exceljs workbook. Every decision about content is
 * already in the spec; this file only knows how XLSX expresses it.
 */
import type ExcelJS from 'exceljs';
import type { DataValidation, Fill, Font, Worksheet } from 'exceljs';
import { columnLetter } from './column-letter.js';
import { displayWidth } from './field-text.js';
import type { CodeTableSheetSpec, DataSheetSpec, NotesRowStyle, NotesSheetSpec, TemplateSpec } from './spec.js';

const TEXT = '@';
const REQUIRED_FONT: Partial<Font> = { bold: true, color: { argb: 'FFC00000' } };
const HEADER_FONT: Partial<Font> = { bold: true };
const solid = (argb: string): Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });
const REQUIRED_FILL = solid('FFFCE4D6');
const HEADER_FILL = solid('FFDDEBF7');

/**
 * exceljs keeps a sheet's validations by address and accepts a range as one
 * address (written as one `sqref`), but its typings only expose per-cell
 * validations; one entry per column keeps the file small.
 */
function validations(sheet: Worksheet): { add(range: string, validation: DataValidation): void } {
  return (sheet as unknown as { dataValidations: { add(range: string, validation: DataValidation): void } }).dataValidations;
}

function addDataSheet(workbook: ExcelJS.Workbook, data: DataSheetSpec): void {
  // Frozen header: the Chinese names stay visible however far a clerk scrolls.
  const sheet = workbook.addWorksheet(data.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = data.columns.map((c) => ({ key: c.code, width: c.width }));
  const header = sheet.getRow(1);
  data.columns.forEach((column, i) => {
    const index = i + 1;
    // The text format sits on the column, not on thousands of empty cells:
    // Excel gives it to every cell typed there, and the file holds no blank rows.
    if (column.text) sheet.getColumn(index).numFmt = TEXT;
    const cell = header.getCell(index);
    cell.value = column.header;
    cell.numFmt = TEXT;
    cell.font = column.required ? REQUIRED_FONT : HEADER_FONT;
    cell.fill = column.required ? REQUIRED_FILL : HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.note = column.note;
    if (column.validation) {
      const letter = columnLetter(index);
      validations(sheet).add(`${letter}2:${letter}${data.lastValidatedRow}`, {
        ...column.validation,
        showErrorMessage: true,
        showInputMessage: true,
      });
    }
  });
  header.height = 30;
}

const TABLE_STYLES: readonly NotesRowStyle[] = ['tableHeader', 'field', 'requiredField'];

function notesFont(style: NotesRowStyle, column: number): Partial<Font> | undefined {
  if (style === 'title') return { bold: true, size: 14 };
  if (style === 'heading') return { bold: true, size: 12 };
  if (style === 'tableHeader' || (style === 'meta' && column === 1)) return HEADER_FONT;
  if (style === 'requiredField') return { color: { argb: 'FFC00000' } };
  return undefined;
}

/**
 * A sentence (title, metadata value, instruction) gets its last cell merged
 * across the rest of the field table's width and wrapped. Excel does not
 * fit a merged cell's height to its text, so the height is estimated here.
 */
function spanToEnd(sheet: Worksheet, rowNumber: number, from: number, widths: readonly number[], text: string, style: NotesRowStyle): void {
  const last = widths.length;
  if (from < last) sheet.mergeCells(rowNumber, from, rowNumber, last);
  const room = widths.slice(from - 1).reduce((sum, w) => sum + w, 0);
  const lines = Math.max(1, Math.ceil(displayWidth(text) / Math.max(room - 2, 1)));
  sheet.getRow(rowNumber).height = lines * (style === 'title' ? 20 : 15);
}

function addNotesSheet(workbook: ExcelJS.Workbook, notes: NotesSheetSpec): void {
  const sheet = workbook.addWorksheet(notes.name);
  sheet.columns = notes.widths.map((width) => ({ width }));
  notes.rows.forEach((row, i) => {
    const rowNumber = i + 1;
    const excelRow = sheet.getRow(rowNumber);
    const table = TABLE_STYLES.includes(row.style);
    row.cells.forEach((text, j) => {
      const cell = excelRow.getCell(j + 1);
      cell.value = text;
      cell.numFmt = TEXT;
      // Table cells wrap and Excel fits the row to them when it opens the file.
      cell.alignment = { vertical: 'top', wrapText: true };
      const font = notesFont(row.style, j + 1);
      if (font) cell.font = font;
      if (row.style === 'tableHeader') cell.fill = HEADER_FILL;
    });
    if (!table && row.cells.length > 0) {
      spanToEnd(sheet, rowNumber, row.cells.length, notes.widths, row.cells[row.cells.length - 1]!, row.style);
    }
  });
}

function addCodeTableSheet(workbook: ExcelJS.Workbook, tables: CodeTableSheetSpec): void {
  const sheet = workbook.addWorksheet(tables.name, { state: 'hidden' });
  tables.columns.forEach((column, i) => {
    const excelColumn = sheet.getColumn(i + 1);
    excelColumn.width = Math.max(12, ...[column.header, ...column.values].map((v) => displayWidth(v) + 2));
    excelColumn.numFmt = TEXT;
    excelColumn.values = [column.header, ...column.values];
  });
}

/** exceljs takes ~0.4 s to load: only the commands that write a template pay for it. */
export async function templateWorkbook(spec: TemplateSpec): Promise<ExcelJS.Workbook> {
  const { default: exceljs } = await import('exceljs');
  const workbook = new exceljs.Workbook();
  workbook.creator = 'credit-gateway';
  workbook.title = `${spec.category.code} ${spec.category.name} 数据模板`;
  workbook.subject = `${spec.category.providerName} ${spec.category.name}`;
  // Sheet order matters: readers that ignore the name take the first sheet.
  addDataSheet(workbook, spec.data);
  addNotesSheet(workbook, spec.notes);
  if (spec.codeTables) addCodeTableSheet(workbook, spec.codeTables);
  return workbook;
}
