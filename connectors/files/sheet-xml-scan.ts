/**
 * What an XLSX sheet part says about its layout, found by a cheap pass over
 * its text before the rows are streamed: hidden columns (`<col hidden>`),
 * hidden rows (`<row hidden>`) and merged ranges (`<mergeCell ref>`, which
 * the format puts after all the rows). exceljs's streaming reader keeps
 * none of these, and the gateway needs the merges before the first row to
 * compose a two-row header.
 *
 * Only the three start tags are looked at, by a pattern over the text in
 * chunks (a tag split across two chunks is carried over), so the pass
 * costs one inflation of the part and holds no more than a chunk.
 */
import { decodeAddress } from './cell-address.js';
import type { CellRange } from './workbook.js';

export interface SheetLayout {
  hiddenColumns: Set<number>;
  hiddenRows: Set<number>;
  merges: CellRange[];
}

/** Columns of an XLSX sheet: XFD, the last one. */
const MAX_COLUMNS = 16_384;
const TAG = /<(?:[\w.-]+:)?(col|row|mergeCell)\s([^>]*)>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export async function scanSheetXml(text: AsyncIterable<string>): Promise<SheetLayout> {
  const layout: SheetLayout = { hiddenColumns: new Set(), hiddenRows: new Set(), merges: [] };
  let lastRow = 0;
  let carry = '';
  const take = (piece: string): void => {
    for (const [, name, attributeText] of piece.matchAll(TAG)) {
      const attributes = attributesOf(attributeText!);
      if (name === 'row') {
        const r = Number.parseInt(attributes.r ?? '', 10);
        lastRow = Number.isInteger(r) && r > 0 ? r : lastRow + 1;
        if (isTrue(attributes.hidden)) layout.hiddenRows.add(lastRow);
      } else if (name === 'col') {
        if (!isTrue(attributes.hidden)) continue;
        const min = Number.parseInt(attributes.min ?? '', 10);
        const max = Math.min(Number.parseInt(attributes.max ?? '', 10), MAX_COLUMNS);
        for (let c = min; Number.isInteger(min) && c >= 1 && c <= max; c++) layout.hiddenColumns.add(c - 1);
      } else {
        const range = rangeOf(attributes.ref);
        if (range) layout.merges.push(range);
      }
    }
  };
  for await (const chunk of text) {
    const data = carry + chunk;
    const cut = data.lastIndexOf('<');
    // A tag is never split if the text is cut just before a '<'.
    take(data.slice(0, cut === -1 ? data.length : cut));
    carry = cut === -1 ? '' : data.slice(cut);
  }
  take(carry);
  return layout;
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [, name, double, single] of text.matchAll(ATTRIBUTE)) attributes[name!] = double ?? single ?? '';
  return attributes;
}

function isTrue(value: string | undefined): boolean {
  return value === '1' || value === 'true';
}

/** A1:C2 → rows 1-based, columns 0-based; a single cell is a range of one. */
export function rangeOf(ref: string | undefined): CellRange | null {
  if (!ref) return null;
  const [from, to = from] = ref.split(':');
  const a = decodeAddress(from!);
  const b = decodeAddress(to!);
  if (!a || !b) return null;
  return { top: Math.min(a.row, b.row), left: Math.min(a.column, b.column), bottom: Math.max(a.row, b.row), right: Math.max(a.column, b.column) };
}
