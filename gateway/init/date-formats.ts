/**
 * Which date format a text column of dates is written in, judged from rows
 * init read as a sample: a column the standard's default (YYYY-MM-DD, with
 * or without a time) reads needs no rule; otherwise the one format that
 * reads every sampled value is proposed, and said to come from the sample.
 */
import type { Row, Value } from '../../connectors/contract.js';
import { longTermDate, parseDate } from '../mapping/dates.js';
import type { DateFormat } from '../mapping/types.js';

/** Tried in this order; 'excel' last, since a plain number could be anything. */
const OTHER_FORMATS: readonly DateFormat[] = ['YYYYMMDD', 'YYYY/MM/DD', 'zh', 'excel'];

export interface DetectedDateFormat {
  format: DateFormat;
  /** How many sampled values it read. */
  sampled: number;
}

/** Null when the default reads every value, when nothing was sampled, or when no one format reads them all. */
export function detectDateFormat(rows: readonly Row[], column: string): DetectedDateFormat | null {
  const values = rows.map((r) => r[column]).filter((v): v is Exclude<Value, null> => v !== null && v !== undefined && String(v).trim() !== '' && longTermDate(v) === null);
  if (values.length === 0) return null;
  const readsAll = (format: DateFormat) => values.every((v) => parseDate(v, format) !== null);
  if (readsAll('YYYY-MM-DD')) return null;
  const format = OTHER_FORMATS.find(readsAll);
  return format ? { format, sampled: values.length } : null;
}
