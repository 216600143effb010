/**
 * A TemplateSpec as an exceljs workbook. Every decision about content is
 * already in the spec; this file only knows how XLSX expresses it.
 */
import ExcelJS from 'exceljs';
import type { DataValidation, Fill, Font, Worksheet } from 'exceljs';
import { columnLetter } from './column-letter.js';
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

function notesStyle(sheet: Worksheet, rowNumber: number, style: NotesRowStyle, width: number): void {
  const row = sheet.getRow(rowNumber);
  for (let i = 1; i <= width; i++) {
    const cell = row.getCell(i);
    // Only the field table wraps; a title or sentence left unwrapped runs on over the empty cells to its right.
    const table = style === 'tableHeader' || style === 'field' || style === 'requiredField';
    cell.alignment = { vertical: 'top', wrapText: table };
    if (style === 'title') cell.font = { bold: true, size: 14 };
    if (style === 'heading') cell.font = { bold: true, size: 12 };
    if (style === 'meta' && i === 1) cell.font = { bold: true };
    if (style === 'tableHeader') {
      cell.font = HEADER_FONT;
      cell.fill = HEADER_FILL;
    }
    if (style === 'requiredField') cell.font = { color: { argb: 'FFC00000' } };
  }
}

function addNotesSheet(workbook: ExcelJS.Workbook, notes: NotesSheetSpec): void {
  const sheet = workbook.addWorksheet(notes.name);
  sheet.columns = notes.widths.map((width) => ({ width }));
  notes.rows.forEach((row, i) => {
    const excelRow = sheet.getRow(i + 1);
    row.cells.forEach((text, j) => {
      const cell = excelRow.getCell(j + 1);
      cell.value = text;
      cell.numFmt = TEXT;
    });
    notesStyle(sheet, i + 1, row.style, Math.max(row.cells.length, 1));
  });
}

function addCodeTableSheet(workbook: ExcelJS.Workbook, tables: CodeTableSheetSpec): void {
  const sheet = workbook.addWorksheet(tables.name, { state: 'hidden' });
  tables.columns.forEach((column, i) => {
    const excelColumn = sheet.getColumn(i + 1);
    excelColumn.width = Math.max(12, ...column.values.map((v) => v.length * 2));
    excelColumn.numFmt = TEXT;
    excelColumn.values = [column.header, ...column.values];
  });
}

export function templateWorkbook(spec: TemplateSpec): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'credit-gateway';
  workbook.title = `${spec.category.code} ${spec.category.name} 数据模板`;
  workbook.subject = `${spec.category.providerName} ${spec.category.name}`;
  // Sheet order matters: readers that ignore the name take the first sheet.
  addDataSheet(workbook, spec.data);
  addNotesSheet(workbook, spec.notes);
  if (spec.codeTables) addCodeTableSheet(workbook, spec.codeTables);
  return workbook;
}
