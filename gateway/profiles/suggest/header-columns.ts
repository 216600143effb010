/**
 * The columns a header row (or two) names, composed the way profiles name
 * them (contract, section 2): in a two-row header a group cell merged over
 * its sub-columns (`行政相对人代码` over `统一社会信用代码`, `组织机构代码` …)
 * gives `上/下` names; a cell merged down over both rows, or a lower cell
 * under nothing, is named by itself. Without merge information (CSV) an
 * empty upper cell under a group takes the nearest filled upper cell to its
 * left. Pure.
 */
import type { CellRange, GridRow } from '../../../connectors/files/workbook.js';
import { cellText } from './sample.js';

export interface HeaderColumn {
  /** 0-based column. */
  column: number;
  /** The name a profile's column reference uses. */
  name: string;
  /** For a `上/下` name: the sub-column's own text, which may name a field by itself. */
  lower?: string;
  /** For a `上/下` name: the group's text. */
  upper?: string;
  hidden: boolean;
}

export function singleRowHeader(row: GridRow, hiddenColumns: ReadonlySet<number>): HeaderColumn[] {
  const out: HeaderColumn[] = [];
  row.cells.forEach((cell, column) => {
    const name = cellText(cell);
    if (name !== '') out.push({ column, name, hidden: hiddenColumns.has(column) });
  });
  return out;
}

/** The merge covering a cell, if any. */
function mergeAt(merges: readonly CellRange[], row: number, column: number): CellRange | undefined {
  return merges.find((m) => m.top <= row && row <= m.bottom && m.left <= column && column <= m.right);
}

export function twoRowHeader(upper: GridRow, lower: GridRow, merges: readonly CellRange[], hiddenColumns: ReadonlySet<number>): HeaderColumn[] {
  const width = Math.max(upper.cells.length, lower.cells.length, ...merges.filter((m) => m.top === upper.rowNumber).map((m) => m.right + 1));
  const out: HeaderColumn[] = [];
  let inherited = '';
  for (let column = 0; column < width; column++) {
    const below = cellText(lower.cells[column]);
    const merge = mergeAt(merges, upper.rowNumber, column);
    let above = cellText(upper.cells[merge ? merge.left : column]);
    if (merge && merge.top < upper.rowNumber) above = '';
    if (merges.length === 0) {
      // No merge information: a group's text stands only in its first column.
      if (above !== '') inherited = above;
      else if (below !== '') above = inherited;
    }
    const mergedDown = merge !== undefined && merge.left === merge.right && merge.bottom >= lower.rowNumber;
    const hidden = hiddenColumns.has(column);
    if (above === '' && below === '') continue;
    if (below === '' || mergedDown) out.push({ column, name: above, hidden });
    else if (above === '') out.push({ column, name: below, hidden });
    else out.push({ column, name: `${above}/${below}`, upper: above, lower: below, hidden });
  }
  return out;
}

/** The spellings a column may name a field by: its name, then its sub-column's own text. */
export function spellingsOf(column: HeaderColumn): string[] {
  return column.lower !== undefined ? [column.name, column.lower, `${column.upper}${column.lower}`] : [column.name];
}
