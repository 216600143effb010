/**
 * The CSV template and its notes, as text. UTF-8 with a byte order mark,
 * because without it Excel on a Chinese Windows opens UTF-8 as GB18030 and
 * shows mojibake; CRLF, because that is what Excel and Notepad write back.
 */
import type { NotesSheetSpec, TemplateSpec } from './spec.js';

export const BOM = '\uFEFF';
const EOL = '\r\n';

/** RFC 4180 quoting, only where a value needs it. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One header row of Chinese field names and nothing else: a CSV has no room for notes or a second header. */
export function csvTemplateText(spec: TemplateSpec): string {
  return BOM + spec.data.columns.map((c) => csvCell(c.header)).join(',') + EOL;
}

/**
 * The notes sheet as plain text for the file beside a CSV template: one line
 * per notes row, cells separated by a full-width colon for key/value rows and
 * by ` | ` for the field table, so it reads in Notepad.
 */
export function notesText(notes: NotesSheetSpec): string {
  const lines = notes.rows.map((row) => {
    const cells = [...row.cells];
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (row.style === 'meta') return cells.join('：');
    if (row.style === 'tableHeader' || row.style === 'field' || row.style === 'requiredField') return cells.join(' | ');
    return cells.join(' ');
  });
  return BOM + lines.join(EOL) + EOL;
}
