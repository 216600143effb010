/** Small builders the corpus's exports are written with. */
import type { Cell, DataRow, DateCell } from './spec.js';

export type Month = 0 | 1;

export function good(
  cells: Record<string, Cell>, key: string[], data: Record<string, string | number | null>,
  subject?: { kind: string; name: string; code: string },
): DataRow {
  return { cells, expect: { good: { key, data, ...(subject ? { subject } : {}) } } };
}

export function unread(cells: Record<string, Cell>): DataRow {
  return { cells, expect: { unread: true } };
}

export function bad(cells: Record<string, Cell>, column: string, code: string): DataRow {
  return { cells, expect: { bad: { column, code } } };
}

/** A date stored as a spreadsheet serial, shown in this number format. */
export function day(iso: string, format = 'yyyy-mm-dd'): DateCell {
  return { date: iso, format };
}

/** 2017-06-02 → 2017年6月2日, 2017.6.2, 20170602 as the systems print them. */
export function zhDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
export function dotDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}.${m}.${d}`;
}
export function compactDate(iso: string): string {
  return iso.replaceAll('-', '');
}
export function slashDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}/${m}/${d}`;
}

/** Rows of the next month's export: the same rows, `change` applied to some, `add` appended. */
export function nextMonth(rows: DataRow[], m: Month, change: Record<number, (row: DataRow) => DataRow>, add: DataRow[] = []): DataRow[] {
  if (m === 0) return rows;
  return [...rows.map((row, i) => (change[i] ? change[i]!(row) : row)), ...add];
}

/** The row with some cells changed and its expectation replaced. */
export function edit(cells: Record<string, Cell>, expect: DataRow['expect']): (row: DataRow) => DataRow {
  return (row) => ({ cells: { ...row.cells, ...cells }, expect });
}

export function goodWith(row: DataRow, data: Record<string, string | number | null>): DataRow['expect'] {
  if (!('good' in row.expect)) throw new Error('only a good row can keep its key');
  return { good: { ...row.expect.good, data: { ...row.expect.good.data, ...data } } };
}
