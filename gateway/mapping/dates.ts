/**
 * Reading the dates departments write into 'YYYY-MM-DD'. Each format is
 * lenient where clerks and spreadsheets are (one-digit months, a trailing
 * time of day, full-width digits) and strict about the day existing.
 */
import type { Value } from '../../connectors/contract.js';
import { chinaDate, isoDate, isRealDate } from '../identifiers/calendar.js';
import { toHalfWidth } from '../identifiers/normalise.js';
import type { DateFormat } from './types.js';

/** How the national templates write "no end" (长期): a date no one will reach. */
export const LONG_TERM_DATE = '2099-12-31';

const LONG_TERM_WORDS = new Set(['长期', '长期有效', '永久', '永久有效', '无期限', '无固定期限']);
const LONG_TERM_FIRST = new Set([...LONG_TERM_WORDS].map((word) => word.charAt(0)));

/** 2099-12-31 for a word meaning "no end" (长期, 永久 …), whatever the column's date format; otherwise null. */
export function longTermDate(value: Value): string | null {
  // Every date value comes here: one that does not start like one of the words (after any space) is none.
  return typeof value === 'string' && LONG_TERM_FIRST.has(value.trimStart().charAt(0)) && LONG_TERM_WORDS.has(value.replace(/\s+/g, '')) ? LONG_TERM_DATE : null;
}

/** The date as 'YYYY-MM-DD', or null when the value does not name a real day in that format. */
export function parseDate(value: Value, format: DateFormat): string | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number' && format !== 'excel' && format !== 'YYYYMMDD' && format !== 'any') return null;
  const text = toHalfWidth(String(value)).trim();
  switch (format) {
    case 'YYYY-MM-DD': return separated(text, '-');
    case 'YYYY/MM/DD': return separated(text, '/');
    case 'YYYY.MM.DD': return separated(text, '.');
    case 'YYYYMMDD': return compact(text);
    case 'excel': return excelSerial(text) ?? separated(text, '-');
    case 'zh': return chinese(text);
    case 'any': return anyShape(text);
  }
}

/**
 * Every shape at once. Eight digits are a compact date before they are a day
 * number (20170602 is no serial a spreadsheet writes: that is year 56 882);
 * up to six digits, with or without a fraction, are a spreadsheet serial.
 */
function anyShape(text: string): string | null {
  if (/^\d{8}(\d{6})?$/.test(text)) return compact(text);
  if (/^\d{1,7}(\.\d+)?$/.test(text)) return excelSerial(text);
  return separated(text, '-') ?? separated(text, '/') ?? separated(text, '.') ?? chinese(text);
}

function ymd(year: number, month: number, day: number): string | null {
  return isRealDate(year, month, day) ? isoDate(year, month, day) : null;
}

/** 'YYYY-MM-DD' naming a real day, read without a match array. */
function isIsoDay(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < 4) year = year * 10 + d;
    else if (i < 7) month = month * 10 + d;
    else day = day * 10 + d;
  }
  return isRealDate(year, month, day);
}

/** Compiled once: a date column is read on every row. */
function separatedPattern(sep: '-' | '/' | '\\.'): RegExp {
  return new RegExp(`^(\\d{4})${sep}(\\d{1,2})${sep}(\\d{1,2})(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?)?$`);
}

const SEPARATED = { '-': separatedPattern('-'), '/': separatedPattern('/'), '.': separatedPattern('\\.') } as const;

/**
 * 2024-01-05, 2024-1-5, '2024-01-05 08:30:00', or an ISO timestamp. A
 * timestamp with a zone names an instant, and sources hand out instants in
 * UTC: its day is the day in China, where the department recorded it.
 */
function separated(text: string, sep: keyof typeof SEPARATED): string | null {
  // Already the form it is sent in, as most dates are by the time validation reads them again: kept as is.
  if (sep === '-' && isIsoDay(text)) return text;
  const m = SEPARATED[sep].exec(text);
  if (!m) return null;
  const date = ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  if (date === null || m[4] === undefined) return date;
  return chinaDate(text);
}

/** 20240105, or 20240105083000 as many Chinese systems store a time. */
function compact(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:\d{6})?$/.exec(text);
  return m ? ymd(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

const EXCEL_MAX_SERIAL = 2958465; // 9999-12-31
const DAY_MS = 86_400_000;

/**
 * A spreadsheet day number (1900 date system; a time of day is the
 * fraction). Excel counts a 29 February 1900 that never was, so serial 60
 * names no day and later serials are one ahead of the calendar.
 */
function excelSerial(text: string): string | null {
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const serial = Math.floor(Number(text));
  if (serial < 1 || serial > EXCEL_MAX_SERIAL || serial === 60) return null;
  const epoch = serial < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + serial * DAY_MS).toISOString().slice(0, 10);
}

const ZH_DIGITS: Record<string, number> = {
  '〇': 0, '零': 0, '○': 0, O: 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
};

/** 2024年1月5日 or, as on official documents, 二〇二四年一月五日. */
function chinese(text: string): string | null {
  const m = /^(.{4})年(.{1,3})月(.{1,3})日$/.exec(text.replace(/\s+/g, ''));
  if (!m) return null;
  const year = yearNumber(m[1]!);
  const month = smallNumber(m[2]!);
  const day = smallNumber(m[3]!);
  return year === null || month === null || day === null ? null : ymd(year, month, day);
}

/** Years are read digit by digit: 二〇二四 (typists often put a letter O or ○ for 〇). */
function yearNumber(text: string): number | null {
  if (/^\d{4}$/.test(text)) return Number(text);
  let n = 0;
  for (const ch of text) {
    const d = ZH_DIGITS[ch];
    if (d === undefined) return null;
    n = n * 10 + d;
  }
  return n;
}

/** Months and days are counted: 五, 十, 十二, 二十, 三十一; or written in digits. */
function smallNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const m = /^([一二三])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return null;
  const [, tens, ten, units] = m;
  if (tens && !ten) return units ? null : ZH_DIGITS[tens]!;
  return (ten ? (tens ? ZH_DIGITS[tens]! : 1) * 10 : 0) + (units ? ZH_DIGITS[units]! : 0);
}
