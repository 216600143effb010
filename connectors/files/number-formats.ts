/**
 * Which number formats make a cell a date, the same for every spreadsheet
 * format. Pure.
 *
 * Excel's built-in formats 27–36 and 50–58 are locale-dependent and never
 * written into the file: a workbook saved by Excel or WPS on a Chinese
 * system says "format 31" and means `yyyy"年"m"月"d"日"`. Neither exceljs
 * nor SheetJS knows them (both read such a cell as a bare number, e.g.
 * 42888), so the zh-CN meanings (ECMA-376 Part 1, 18.8.30) are supplied
 * here to both. A format the file defines itself always wins.
 *
 * A format is a date (or time) when, once quoted text and bracketed parts
 * ([Red], [$-804], [DBNum1]) are removed, it still has a y, m, d, h, s or
 * b (Buddhist year) token: the rule exceljs applies to .xlsx, so .xls and
 * .xlsx agree on every format.
 */
export const CJK_BUILTIN_FORMATS: Readonly<Record<number, string>> = Object.freeze({
  27: 'yyyy"年"m"月"',
  28: 'm"月"d"日"',
  29: 'm"月"d"日"',
  30: 'm-d-yy',
  31: 'yyyy"年"m"月"d"日"',
  32: 'h"时"mm"分"',
  33: 'h"时"mm"分"ss"秒"',
  34: '上午/下午h"时"mm"分"',
  35: '上午/下午h"时"mm"分"ss"秒"',
  36: 'yyyy"年"m"月"',
  50: 'yyyy"年"m"月"',
  51: 'm"月"d"日"',
  52: 'yyyy"年"m"月"',
  53: 'm"月"d"日"',
  54: 'm"月"d"日"',
  55: '上午/下午h"时"mm"分"',
  56: '上午/下午h"时"mm"分"ss"秒"',
  57: 'yyyy"年"m"月"',
  58: 'm"月"d"日"',
});

export function isDateFormat(format: string | undefined | null): boolean {
  if (!format) return false;
  const bare = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhMsb]/.test(bare);
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * A date serial as the wall-clock day (and time) it shows, 'YYYY-MM-DD' or
 * 'YYYY-MM-DD HH:mm:ss'; computed as exceljs does for .xlsx, so both agree
 * to the second. null when the serial is no date at all.
 */
export function serialToWallClock(serial: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial)) return null;
  const date = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * DAY_MS));
  if (Number.isNaN(date.getTime())) return null;
  return wallClock(date);
}

/** A date whose wall-clock time is held in its UTC fields, as exceljs builds them. */
export function wallClock(date: Date): string {
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  return time === '00:00:00' ? day : `${day} ${time}`;
}
