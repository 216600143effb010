/**
 * Rows of one result, all of one shape. An object given its properties one
 * by one by name becomes a dictionary to V8 past about 17 of them (a
 * department's table often has 30 or more columns): slower to read, to copy
 * to the mapping thread and to stringify, for every row. A copy of a
 * template that already has every column is a fast object however many
 * there are, and all the rows of a result share its shape. Pure.
 */
import type { ColumnMeta, QueryResult } from './dialect.js';

/** A maker of rows holding every one of `names`, in that order, each null until set. */
export function rowTemplate(names: readonly string[]): () => Record<string, unknown> {
  // fromEntries defines each name as an own property (even "__proto__"); the spread makes the template itself fast.
  const template: Record<string, unknown> = { ...Object.fromEntries(names.map((name) => [name, null])) };
  return () => ({ ...template });
}

/** Rows keyed by column name from a driver's rows of values in column order. */
export function rowsFromValues(names: readonly string[], rows: readonly (readonly unknown[])[]): Record<string, unknown>[] {
  const blank = rowTemplate(names);
  const out: Record<string, unknown>[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const values = rows[r]!;
    const row = blank();
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    out[r] = row;
  }
  return out;
}

/**
 * A driver's result from rows of values in column order: pages are normalised
 * from the values (sql-source.ts); rows by name are built only for the
 * statements that read them, once.
 */
export function valuesResult(columns: ColumnMeta[], values: readonly (readonly unknown[])[]): QueryResult {
  let keyed: Record<string, unknown>[] | undefined;
  return {
    columns,
    values,
    get rows() {
      return (keyed ??= rowsFromValues(columns.map((column) => column.name), values));
    },
  };
}
