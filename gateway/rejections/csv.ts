/**
 * The rejection export (status page /rejections.csv and `credit-gateway
 * rejections --csv`), for the people who fix the source data: opened in
 * Excel or WPS by double-click, so UTF-8 with a BOM, CRLF line ends, RFC 4180
 * quoting, and every cell defused against formula injection (a key or
 * message from the source could start with `=`). Times are 北京时间, as on
 * the pages, and the headers say so.
 */
import { maskIdNumbersIn } from '../identifiers/mask.js';
// The column titles are the status page's words, so the page's export and the command's are the same file.
import { text, type Lang, type MessageKey } from '../i18n/messages.js';
import { beijingTime } from '../identifiers/calendar.js';
import type { RejectionQuery, RejectionResult, RejectionSearch } from './query.js';
import { rejectionState, type RejectionView } from './view.js';

export const BOM = '\uFEFF';

/** How many rejections one call to deps.rejections returns while exporting. */
export const EXPORT_CHUNK = 1000;

/** One cell: a leading = + - @ tab or CR is prefixed with `'` so a spreadsheet reads text, then quoted when needed. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const COLUMNS: MessageKey[] = ['csv.at', 'csv.source', 'csv.job', 'csv.category', 'csv.categoryName', 'csv.key', 'csv.field', 'csv.code', 'csv.message', 'csv.subject', 'csv.state', 'csv.resendRequestedAt', 'csv.resolvedAt'];

export function rejectionCsvHeader(lang: Lang): string {
  return csvLine(COLUMNS.map((k) => text(lang, k)));
}

/** One rejection as a CSV line, identity numbers masked. */
export function rejectionCsvLine(r: RejectionView, categoryName: string | undefined, lang: Lang): string {
  const beijing = (iso: string | null | undefined) => (iso ? beijingTime(iso) ?? iso : '');
  return maskIdNumbersIn(csvLine([
    beijing(r.at),
    text(lang, `source.${r.source}`),
    r.job ?? '',
    r.category,
    categoryName ?? '',
    r.key,
    r.field ?? '',
    r.code,
    r.message,
    r.subjectCode ?? '',
    text(lang, `rejectionState.${rejectionState(r)}`),
    beijing(r.resendRequestedAt),
    beijing(r.resolvedAt),
  ]));
}

/** The whole export, BOM and header first, paging through every matching rejection. */
export async function* rejectionsCsv(
  rejections: (q: RejectionQuery) => RejectionResult,
  filter: RejectionSearch,
  names: Map<string, string>,
  lang: Lang,
): AsyncGenerator<string> {
  yield BOM + rejectionCsvHeader(lang);
  for (let offset = 0; ; offset += EXPORT_CHUNK) {
    const { items } = rejections({ ...filter, limit: EXPORT_CHUNK, offset });
    if (items.length > 0) yield items.map((r) => rejectionCsvLine(r, names.get(r.category), lang)).join('');
    if (items.length < EXPORT_CHUNK) return;
  }
}
