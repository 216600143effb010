/**
 * The shape of a sheet as national and provincial systems export it, read
 * from its first rows. Pure: rows, merges and hidden columns in; the header
 * row(s), the columns' names and a classifier for every later row out.
 *
 *   title rows        系统名称、导出时间、单位 … above the header: passed over
 *   header row(s)     one row, or two with merged group cells: 行政相对人代码
 *                     spanning 统一社会信用代码 | 组织机构代码 | …
 *   data rows
 *   footer rows       合计 / 注 / 制表人 … below: ended as "not data"; a
 *                     keyless record under them is data all the same
 *
 * Where the header is: the row a profile names (`header.row`), else the first
 * of the first 30 rows with two filled cells (a title has one) holding every
 * header of the signature (compared by headerKey: width, case and spaces do
 * not count), else, with no signature, the first row with two filled cells.
 *
 * Column names of a two-row header: the single text of a cell merged down
 * over both rows, or of an upper cell standing alone; the lower cell's text
 * under an empty upper cell; `上/下` under a group (an upper cell merged
 * across several columns, e.g. `行政相对人代码/统一社会信用代码`). Without
 * merge information (CSV) an empty upper cell over a filled lower one
 * belongs to the nearest group to its left, when that group's own first
 * column also has a lower cell.
 */
import type { Value } from '../../connectors/contract.js';
import type { CellRange, GridRow } from '../../connectors/files/workbook.js';
import { headerKey } from '../standards/headers.js';

/** Rows searched for the header: a title block is never longer. */
export const HEADER_SEARCH_ROWS = 30;

export interface HeaderOptions {
  /** Headers every one of which the header row(s) must hold. */
  signature?: readonly string[];
  /** 1-based row of the (first) header row, when the profile fixes it. */
  row?: number;
  /** 1 (default) or 2. */
  rows?: 1 | 2;
}

export interface ShapedColumn {
  /** 0-based. */
  index: number;
  /** As the report and the profile name it: composed for a two-row header. */
  name: string;
  /** The lower cell's text (the only one, for a one-row header). */
  lower: string;
  /** The upper (group) cell's text of a two-row header, when it differs from the name. */
  upper: string | null;
  hidden: boolean;
}

export interface SheetShape {
  /** The first header row, 1-based. */
  headerRow: number;
  headerRows: 1 | 2;
  /** Named columns only, in order. */
  columns: readonly ShapedColumn[];
}

export interface SheetLayout {
  merges: readonly CellRange[];
  hiddenColumns: ReadonlySet<number>;
}

/** A cell as header text: trimmed, inner line breaks and runs of spaces as one space. */
export function cellText(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\s+/g, ' ').trim();
}

const filled = (row: GridRow): number => row.cells.filter((c) => cellText(c) !== '').length;

/**
 * The header of a sheet from its first rows (at least those numbered up to
 * HEADER_SEARCH_ROWS, in order), or null when it is not there.
 */
export function findHeader(rows: readonly GridRow[], layout: SheetLayout, options: HeaderOptions = {}): SheetShape | null {
  const headerRows = options.rows ?? 1;
  const signature = (options.signature ?? []).map(headerKey);
  const candidates = rows.filter((r) => r.rowNumber <= HEADER_SEARCH_ROWS);
  const shapeAt = (i: number): SheetShape | null => {
    const upper = candidates[i]!;
    const lower = headerRows === 2 ? rows[rows.indexOf(upper) + 1] : undefined;
    // A two-row header's rows are adjacent: a blank row between them is no header.
    if (headerRows === 2 && (!lower || lower.rowNumber !== upper.rowNumber + 1)) return null;
    const shape = composeHeader(upper, lower ?? null, layout);
    if (shape.columns.length === 0) return null;
    return holdsSignature(shape, signature) ? shape : null;
  };
  if (options.row !== undefined) {
    const i = candidates.findIndex((r) => r.rowNumber === options.row);
    return i < 0 ? null : shapeAt(i);
  }
  for (let i = 0; i < candidates.length; i++) {
    // A row of one cell is a title, never a header's (first) row: under a two-row
    // header it would otherwise make the title a group over the real header.
    if (filled(candidates[i]!) < 2) continue;
    const shape = shapeAt(i);
    if (shape) return shape;
  }
  return null;
}

function holdsSignature(shape: SheetShape, signature: readonly string[]): boolean {
  if (signature.length === 0) return true;
  const keys = new Set(shape.columns.flatMap((c) => [c.name, c.lower, ...(c.upper ? [c.upper] : [])].map(headerKey)));
  return signature.every((k) => keys.has(k));
}

function mergeAt(merges: readonly CellRange[], row: number, column: number): CellRange | undefined {
  return merges.find((m) => m.top <= row && row <= m.bottom && m.left <= column && column <= m.right);
}

/** The header's columns from its one or two rows. */
export function composeHeader(upperRow: GridRow, lowerRow: GridRow | null, layout: SheetLayout): SheetShape {
  const headerRow = upperRow.rowNumber;
  const width = Math.max(upperRow.cells.length, lowerRow?.cells.length ?? 0);
  const columns: ShapedColumn[] = [];
  const hidden = (i: number) => layout.hiddenColumns.has(i);
  if (!lowerRow) {
    for (let i = 0; i < width; i++) {
      const name = cellText(upperRow.cells[i]);
      if (name !== '') columns.push({ index: i, name, lower: name, upper: null, hidden: hidden(i) });
    }
    return { headerRow, headerRows: 1, columns };
  }
  const knowsMerges = layout.merges.length > 0;
  // The group each column stands under, for CSV: [text, the group's first column].
  let group: { text: string; start: number } | null = null;
  for (let i = 0; i < width; i++) {
    let upper = cellText(upperRow.cells[i]);
    const lower = cellText(lowerRow.cells[i]);
    const merge = mergeAt(layout.merges, headerRow, i);
    if (merge && upper === '') upper = cellText(upperRow.cells[merge.left]);
    const spansDown = merge !== undefined && merge.bottom > headerRow && merge.left === merge.right;
    const isGroup = merge !== undefined ? merge.right > merge.left : false;
    if (!knowsMerges) {
      if (upper !== '') group = { text: upper, start: i };
      else if (lower !== '' && group && cellText(lowerRow.cells[group.start]) !== '') upper = group.text;
      else group = null;
    }
    let name: string;
    if (spansDown || lower === '') name = upper;
    else if (upper === '') name = lower;
    else if (isGroup || !knowsMerges || upper !== lower) name = `${upper}/${lower}`;
    else name = lower;
    if (name === '') continue;
    columns.push({ index: i, name, lower: lower || upper, upper: name === lower || name === upper ? null : upper, hidden: hidden(i) });
  }
  return { headerRow, headerRows: 2, columns };
}

/** Where a profile's column references point in a sheet. */
export interface ColumnBinding {
  /** Reference as the profile writes it → 0-based column. */
  index: ReadonlyMap<string, number>;
  /** 0-based column → its name in the export, for reports. */
  nameOf: ReadonlyMap<number, string>;
  /** References the sheet has no column for. */
  missing: readonly string[];
}

/**
 * Each reference resolves to the column of that composed name, else to the
 * one column whose lower cell has it; a visible column before a hidden one
 * of the same name (a hidden column is read only when it is the one named).
 */
export function bindColumns(shape: SheetShape, references: readonly string[]): ColumnBinding {
  const byName = new Map<string, ShapedColumn[]>();
  const byLower = new Map<string, ShapedColumn[]>();
  const add = (map: Map<string, ShapedColumn[]>, key: string, c: ShapedColumn) => map.set(key, [...(map.get(key) ?? []), c]);
  for (const c of shape.columns) {
    add(byName, headerKey(c.name), c);
    if (c.lower !== c.name) add(byLower, headerKey(c.lower), c);
  }
  const visibleFirst = (list: ShapedColumn[]) => [...list].sort((a, b) => Number(a.hidden) - Number(b.hidden))[0]!;
  const index = new Map<string, number>();
  const missing: string[] = [];
  for (const ref of new Set(references)) {
    const key = headerKey(ref);
    const named = byName.get(key);
    const lower = byLower.get(key);
    if (named) index.set(ref, visibleFirst(named).index);
    else if (lower && uniqueColumn(lower)) index.set(ref, uniqueColumn(lower)!.index);
    else missing.push(ref);
  }
  return { index, nameOf: new Map(shape.columns.map((c) => [c.index, c.name])), missing };
}

/** The one column of a lower name: the only one, or the only visible one; none when several could be meant. */
function uniqueColumn(list: readonly ShapedColumn[]): ShapedColumn | undefined {
  if (list.length === 1) return list[0];
  const visible = list.filter((c) => !c.hidden);
  return visible.length === 1 ? visible[0] : undefined;
}

/** Words a footer's first filled cell starts with. */
const FOOTER_START = /^(合计|总计|小计|注|备注|说明|制表|填表|填报|审核|负责人|导出|打印|数据截止)/;
/** Of those, the totals: no name starts so, and a total often puts its count under a key column (合计 | 3 人). */
const TOTAL_START = /^(合计|总计|小计)/;
/**
 * What a total puts under a key column in place of a key: the total word
 * itself, or a count (3, 3 人, 共3条, 1,204 人次). No key of a record reads so.
 */
const TOTAL_KEY = /^(?:(?:合计|总计|小计)[:：]?|(?:共计?|计)?\s*\d[\d,]*\s*(?:人次|人|户|家|条|项|件|个|笔|名|次|行|份|张|本|起|宗|例)?)$/;
/** A key cell of a total row that holds no plausible key: empty, or a total's word or count (compared width-free: ３人). */
const holdsNoKey = (text: string): boolean => text === '' || TOTAL_KEY.test(text.normalize('NFKC'));

/**
 * Sign-off lines under a footer (联系人：… 联系电话：…, 单位（盖章） 日期：…):
 * footers there only, a keyless row above the totals starting so being more
 * likely a record than a signature.
 */
const SIGN_OFF_START = /^(联系人|联系电话|电话|经办|复核|批准|签字|签名|签章|盖章|单位[(（]?盖章|日期)/;

export type RowKind = 'above' | 'header' | 'footer' | 'data';

/**
 * Tells each row after the header search what it is, in reading order.
 * A footer is a row whose key columns are empty and whose first filled cell
 * starts with a footer word, or that has only one filled cell after data
 * rows. Below a footer, a row is one too when it starts with a footer or
 * sign-off word whatever its keys (制表人 and 审核人, 联系人 and 联系电话
 * side by side, the second under a key column), or when its keys are empty
 * and it has at most one filled cell (a lone date or signature); any other
 * keyless row there is a record a clerk appended below the totals, data to
 * be rejected for its empty key, never passed over unseen. A footer word
 * alone never ends a row with its key filled before that: 注册 starts many
 * a company's name; but a total (合计, 总计, 小计) is a footer whenever part
 * of the key is empty, its count standing in a key column, or when its key
 * cells hold no plausible key, only the total word or a count (合计 | 1 人
 * under a one-column key fills the whole key). A row repeating
 * the header (an export printed page by page) is a header again.
 */
export class RowClassifier {
  readonly #shape: SheetShape;
  readonly #keyColumns: readonly number[];
  readonly #headerKeys: string;
  #dataSeen = false;
  #footerSeen = false;

  constructor(shape: SheetShape, keyColumns: readonly number[]) {
    this.#shape = shape;
    this.#keyColumns = keyColumns;
    this.#headerKeys = shape.columns.map((c) => headerKey(c.lower)).join('\u0000');
  }

  classify(row: GridRow): RowKind {
    const lastHeader = this.#shape.headerRow + this.#shape.headerRows - 1;
    if (row.rowNumber < this.#shape.headerRow) return 'above';
    if (row.rowNumber <= lastHeader) return 'header';
    const texts = row.cells.map(cellText);
    const keysEmpty = this.#keyColumns.every((i) => (texts[i] ?? '') === '');
    const keyIncomplete = this.#keyColumns.some((i) => (texts[i] ?? '') === '');
    const first = texts.find((t) => t !== '') ?? '';
    const count = texts.filter((t) => t !== '').length;
    const signOff = this.#footerSeen && (FOOTER_START.test(first) || SIGN_OFF_START.test(first));
    const footer = signOff || (keysEmpty
      ? FOOTER_START.test(first) || (this.#dataSeen && count === 1) || (this.#footerSeen && count <= 1)
      : TOTAL_START.test(first) && (keyIncomplete || this.#keyColumns.every((i) => holdsNoKey(texts[i] ?? ''))));
    if (footer) {
      this.#footerSeen = true;
      return 'footer';
    }
    if (this.#shape.columns.map((c) => headerKey(texts[c.index] ?? '')).join('\u0000') === this.#headerKeys) return 'header';
    this.#dataSeen = true;
    return 'data';
  }
}
