/**
 * CSV as the systems write it: GBK (Excel's plain "CSV" and most Java
 * exporters on Chinese Windows) or UTF-8 with a BOM (Excel's "CSV UTF-8").
 * Node encodes only UTF-8, so the GBK encoder is the decoder's table read
 * backwards: no iconv, and exactly the bytes a GBK decoder takes back.
 */
import { isDateCell, type Grid } from './spec.js';

let gbkTable: Map<string, Buffer> | null = null;

function gbk(): Map<string, Buffer> {
  if (gbkTable) return gbkTable;
  const decoder = new TextDecoder('gbk', { fatal: false });
  const table = new Map<string, Buffer>();
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const bytes = Buffer.from([lead, trail]);
      const char = decoder.decode(bytes);
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, bytes);
    }
  }
  return (gbkTable = table);
}

export function encodeGbk(text: string): Buffer {
  const table = gbk();
  const parts: Buffer[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) parts.push(Buffer.from([code]));
    else {
      const bytes = table.get(char);
      if (!bytes) throw new Error(`${char} (U+${code.toString(16)}) has no GBK encoding`);
      parts.push(bytes);
    }
  }
  return Buffer.concat(parts);
}

function csvCell(cell: Grid['rows'][number][number]): string {
  if (cell === null) return '';
  if (isDateCell(cell)) throw new Error('a CSV holds text: write the date as the system formats it');
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(grid: Grid): string {
  return grid.rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function writeCsv(grid: Grid, encoding: 'gbk' | 'utf8-bom'): Buffer {
  const text = csvText(grid);
  return encoding === 'gbk' ? encodeGbk(text) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
