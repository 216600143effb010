/** A sheet spec laid out as the grid of cells every writer renders, remembering where each data row landed. */
import type { Cell, Grid, HeaderColumn, SheetSpec } from './spec.js';

/** The column names a profile refers to: a grouped column is `上/下`, as the design composes a two-row header. */
export function composedColumns(header: HeaderColumn[]): string[] {
  return header.flatMap((h) => (typeof h === 'string' ? [h] : h.columns.map((c) => `${h.group}/${c}`)));
}

export function twoRowHeader(header: HeaderColumn[]): boolean {
  return header.some((h) => typeof h !== 'string');
}

export function layout(sheet: SheetSpec): Grid {
  const columns = composedColumns(sheet.header);
  const width = columns.length;
  const rows: Cell[][] = [];
  const merges: Grid['merges'] = [];

  for (const above of sheet.above ?? []) {
    // A title alone on its row is centred across the table, as every export does it.
    if (above.filter((c) => c !== null).length === 1 && above[0] !== null && width > 1) {
      merges.push({ top: rows.length, bottom: rows.length, left: 0, right: width - 1 });
    }
    rows.push(above);
  }

  const top = rows.length;
  if (twoRowHeader(sheet.header)) {
    const upper: Cell[] = [];
    const lower: Cell[] = [];
    for (const h of sheet.header) {
      const left = upper.length;
      if (typeof h === 'string') {
        upper.push(h);
        lower.push(null);
        merges.push({ top, bottom: top + 1, left, right: left });
      } else {
        h.columns.forEach((c, i) => {
          upper.push(i === 0 ? h.group : null);
          lower.push(c);
        });
        if (h.columns.length > 1) merges.push({ top, bottom: top, left, right: left + h.columns.length - 1 });
      }
    }
    rows.push(upper, lower);
  } else {
    rows.push([...columns]);
  }

  const dataRowNumbers: number[] = [];
  for (const row of sheet.rows) {
    for (const name of Object.keys(row.cells)) {
      if (!columns.includes(name)) throw new Error(`sheet ${sheet.name}: a row has a cell for ${name}, which is no column`);
    }
    dataRowNumbers.push(rows.length + 1);
    rows.push(columns.map((c) => row.cells[c] ?? null));
  }
  for (const below of sheet.below ?? []) rows.push(below);

  const hiddenColumns = (sheet.hiddenColumns ?? []).map((name) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`sheet ${sheet.name}: hidden column ${name} is no column`);
    return index;
  });
  return { name: sheet.name, hidden: sheet.hidden ?? false, rows, merges, hiddenColumns, dataRowNumbers, columns };
}
