/**
 * A category's data template, built from its data standard as plain data.
 *
 * The data sheet is a plain table: row 1 holds the fields' Chinese names
 * exactly as the standard spells them (required ones marked by colour, not
 * by a `*`, so a header read back is the field's name as is), data from row
 * 2. Field codes ride in the header cells' notes and on the notes sheet, not
 * in a second header row a reader could take for data.
 */
import type { CatalogCategory } from '../catalog/types.js';
import { loadStandards } from '../standards/load.js';
import type { CodeTable, Standard, StandardField } from '../standards/types.js';
import { listSources } from './code-lists.js';
import { columnLetter } from './column-letter.js';
import { columnWidth, conditionalRules, requiredText, typeText } from './field-text.js';
import { templateBaseName } from './file-name.js';
import type { TemplateFormat } from './file-name.js';
import { notesSheet } from './notes.js';
import { CODE_TABLE_SHEET, DATA_SHEET, VALIDATED_ROWS } from './spec.js';
import type { ColumnSpec, TemplateSpec } from './spec.js';
import { validationFor } from './validation.js';

/** Numbers stay numbers so a clerk can sum them; everything else is text, so Excel keeps it as typed. */
function isText(field: StandardField): boolean {
  return field.type !== 'decimal' && field.type !== 'integer';
}

function headerNote(field: StandardField, required: string): string {
  return [`字段代码：${field.code}`, `必填：${required}`, `类型/格式：${typeText(field)}`, field.description].join('\n');
}

function tablesOf(standard: Standard, codeTables: Readonly<Record<string, CodeTable>>): CodeTable[] {
  return standard.fields.flatMap((f) => {
    const table = f.codeTable ? codeTables[f.codeTable] : undefined;
    return table ? [table] : [];
  });
}

export function buildTemplate(
  category: CatalogCategory,
  standard: Standard,
  codeTables: Readonly<Record<string, CodeTable>> = loadStandards().codeTables,
  format: TemplateFormat = 'xlsx',
): TemplateSpec {
  const lists = listSources(tablesOf(standard, codeTables), columnLetter);
  const conditional = conditionalRules(standard.rules);
  const columns: ColumnSpec[] = standard.fields.map((field) => {
    const table = field.codeTable ? codeTables[field.codeTable] : undefined;
    const validation = validationFor(field, table, table ? lists.formula.get(table.code) : undefined);
    return {
      header: field.name,
      code: field.code,
      required: field.required,
      width: columnWidth(field),
      text: isText(field),
      note: headerNote(field, requiredText(field, conditional)),
      ...(validation ? { validation } : {}),
    };
  });
  return {
    category: { code: category.code, name: category.name, providerName: category.providerName, infoType: category.infoType },
    standard: { code: standard.code, name: standard.name, version: standard.version },
    baseName: templateBaseName(category),
    data: { name: DATA_SHEET, columns, lastValidatedRow: VALIDATED_ROWS + 1 },
    notes: notesSheet(category, standard, codeTables, format),
    ...(lists.columns.length ? { codeTables: { name: CODE_TABLE_SHEET, columns: lists.columns } } : {}),
  };
}
