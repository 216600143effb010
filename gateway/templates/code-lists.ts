/**
 * Drop-down lists for code fields. Each item is a spelling the code table
 * accepts on the way back in (lookupCode), so whatever a clerk picks is read
 * as a current value; superseded spellings are never offered.
 */
import { lookupCode } from '../standards/code-tables.js';
import type { CodeTable } from '../standards/types.js';
import { CODE_TABLE_SHEET } from './spec.js';
import type { CodeListColumn } from './spec.js';

/** Excel's limit on the text of an inline list (between the quotes). */
export const INLINE_LIST_LIMIT = 255;

/**
 * The items of a table's list. Labels read better than bare codes (`有效`
 * rather than `1`), so a table offers its labels when every one of them is
 * accepted as its own value; otherwise it offers the values throughout,
 * because a list mixing codes and words is harder to read than either.
 */
export function listItems(table: CodeTable): string[] {
  const current = table.values.filter((v) => !v.legacy);
  const labels = current.map((v) => v.label);
  const labelsWork = current.every((v) => v.label !== undefined && readsBackAs(table, v.label, v.value));
  return labelsWork && current.length > 0 ? (labels as string[]) : current.map((v) => v.value);
}

function readsBackAs(table: CodeTable, spelling: string, value: string): boolean {
  const match = lookupCode(table, spelling);
  return match.ok && match.value === value;
}

/** An inline list is `"a,b,c"`: no item may hold a comma or a quote, and the text must fit Excel's limit. */
export function inlineList(items: readonly string[]): string | undefined {
  if (items.some((item) => /[,"]/.test(item))) return undefined;
  const text = items.join(',');
  return text.length <= INLINE_LIST_LIMIT ? `"${text}"` : undefined;
}

/** `'代码表'!$B$2:$B$40`: the quotes keep the Chinese sheet name a valid reference in every Excel locale. */
export function listRange(columnLetter: string, count: number): string {
  return `'${CODE_TABLE_SHEET}'!$${columnLetter}$2:$${columnLetter}$${count + 1}`;
}

/**
 * Where each table's list comes from: inline when it fits, otherwise a
 * column of the hidden code table sheet, one column per table however many
 * fields use it.
 */
export function listSources(
  tables: readonly CodeTable[],
  letterOf: (index: number) => string,
): { formula: Map<string, string>; columns: CodeListColumn[] } {
  const formula = new Map<string, string>();
  const columns: CodeListColumn[] = [];
  for (const table of tables) {
    if (formula.has(table.code)) continue;
    const items = listItems(table);
    const inline = inlineList(items);
    if (inline) formula.set(table.code, inline);
    else {
      columns.push({ header: table.name, values: items });
      formula.set(table.code, listRange(letterOf(columns.length), items.length));
    }
  }
  return { formula, columns };
}
