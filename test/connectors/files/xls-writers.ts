/**
 * Real .xls files for the tests, written by the writers national systems
 * and offices actually use: python's xlwt (Debian python3-xlwt, the library
 * behind many Python-based exports) and SheetJS's BIFF8 writer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';

/** Runs a python body with `xlwt`, `datetime` and a Workbook `wb` in scope; the workbook is saved and its bytes returned. */
export function xlwtFile(body: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'xlwt-'));
  try {
    const out = join(dir, 'out.xls');
    const script = `import sys, datetime, xlwt\nwb = xlwt.Workbook(encoding='utf-8')\n${body}\nwb.save(sys.argv[1])\n`;
    execFileSync('/usr/bin/python3', ['-c', script, out], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A workbook written by SheetJS as BIFF8, sheets given as arrays of rows of SheetJS cells or plain values. */
export function sheetjsXls(sheets: Record<string, unknown[][]>, options: { date1904?: boolean; hidden?: string[] } = {}): Buffer {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
  book.Workbook = {
    ...book.Workbook,
    WBProps: { date1904: options.date1904 ?? false },
    Sheets: Object.keys(sheets).map((name) => ({ name, Hidden: options.hidden?.includes(name) ? 1 : 0 })),
  };
  return XLSX.write(book, { bookType: 'xls', type: 'buffer' }) as Buffer;
}

/**
 * Makes SheetJS's writer refer to the zh-CN built-in format ids (31 = yyyy"年"m"月"d"日" …) the way a Chinese
 * Excel does: by id only, with no FORMAT record in the file.
 */
export function useChineseBuiltinFormats(formats: Readonly<Record<number, string>>): void {
  for (const [id, format] of Object.entries(formats)) XLSX.SSF.load(format, Number(id));
}
