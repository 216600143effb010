/**
 * A file's header row against its category's data standard: which field
 * each column is, and what is wrong with the header as a whole. Pure.
 *
 * A header may be the field's Chinese name, its code or an alias: the
 * category's resolveHeader decides. A column that resolves to no field
 * rejects the file (nothing of it is committed), listed in the report with
 * its position: such a column is almost always a misspelt field whose data
 * would otherwise be lost from every row, or the wrong template, and one
 * line per column tells the clerk more than the same finding on every row.
 * The same holds for two columns of one field and for a missing column the
 * key, the subject or a required field needs. A column of a field the
 * standard retired is accepted and not sent, with a notice in the report,
 * so files made from an older template keep working. Optional fields a file
 * leaves out read as empty.
 */
import { columnLetter } from '../../connectors/files/header-row.js';
import type { FileCategory } from './file-category.js';
import type { DropCheckCode } from './file-reasons.js';

export interface ColumnProblem {
  code: Exclude<DropCheckCode, 'FILE_CATEGORY_UNKNOWN'>;
  /** The header as written (or the headers, for a repeated field; the field, for a missing one). */
  header: string;
  params: Record<string, string | number>;
}

export interface ColumnPlan {
  /** Header → field code, for every header that names a current field. */
  fieldOf: ReadonlyMap<string, string>;
  /** Field code → the header the file used for it. */
  headerOf: ReadonlyMap<string, string>;
  /** Fields the category reads that the file has no column for: read as null. */
  absent: readonly string[];
  /** Problems that reject the file. */
  problems: readonly ColumnProblem[];
  /** Columns of retired fields: read past, never sent, reported. */
  retired: readonly ColumnProblem[];
}

export function planColumns(headers: readonly string[], category: FileCategory): ColumnPlan {
  const fieldOf = new Map<string, string>();
  const byField = new Map<string, string[]>();
  const problems: ColumnProblem[] = [];
  const retired: ColumnProblem[] = [];
  headers.forEach((header, i) => {
    const meaning = category.resolveHeader(header);
    if (meaning === null) {
      problems.push({ code: 'FILE_COLUMN_UNKNOWN', header, params: { header, column: columnLetter(i + 1), category: category.code } });
    } else if (typeof meaning !== 'string') {
      retired.push({ code: 'FILE_COLUMN_RETIRED', header, params: { header, note: meaning.retired } });
    } else {
      fieldOf.set(header, meaning);
      byField.set(meaning, [...(byField.get(meaning) ?? []), header]);
    }
  });
  for (const [field, used] of byField) {
    if (used.length > 1) {
      problems.push({ code: 'FILE_COLUMN_REPEATED', header: used.join('、'), params: { field: fieldLabel(category, field), headers: used.map((h) => `“${h}”`).join('、') } });
    }
  }
  const headerOf = new Map([...byField].map(([field, used]) => [field, used[0]!]));
  for (const field of category.requiredFields) {
    if (!headerOf.has(field)) problems.push({ code: 'FILE_COLUMN_MISSING', header: fieldLabel(category, field), params: { field: fieldLabel(category, field) } });
  }
  const absent = category.fields.filter((f) => !headerOf.has(f));
  return { fieldOf, headerOf, absent, problems, retired };
}

/** The field's Chinese name with its code, or the code alone. */
export function fieldLabel(category: Pick<FileCategory, 'fieldName'>, field: string): string {
  const name = category.fieldName?.(field);
  return name && name !== field ? `${name}（${field}）` : field;
}
