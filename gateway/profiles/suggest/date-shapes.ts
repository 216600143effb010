/**
 * The date format a profile should read a column with, from the shapes its
 * sample values take: one shape throughout is named exactly, several are
 * `any` (which reads every unambiguous shape). A spreadsheet date cell
 * reaches us already as YYYY-MM-DD; a bare day number is a serial someone
 * formatted as a number. Pure.
 */
import type { Value } from '../../../connectors/contract.js';
import { toHalfWidth } from '../../identifiers/normalise.js';
import { longTermDate } from '../../mapping/dates.js';

/** The formats a profile's `date` rule names (the mapping's, with the contract's additions). */
export type ProfileDateFormat = 'YYYY-MM-DD' | 'YYYYMMDD' | 'YYYY/MM/DD' | 'YYYY.MM.DD' | 'excel' | 'zh' | 'any';

export type DateShape = Exclude<ProfileDateFormat, 'any'>;

/** The shape of one value; null for a blank, a 长期-like word, or something no format reads. */
export function dateShape(value: Value): DateShape | null {
  if (value === null || typeof value === 'boolean') return null;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 19000101 && value <= 20991231) return 'YYYYMMDD';
    return value >= 1 && value < 2958466 ? 'excel' : null;
  }
  const text = toHalfWidth(value).trim();
  if (text === '' || longTermDate(text) !== null) return null;
  if (/^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return 'YYYY-MM-DD';
  if (/^\d{4}\/\d{1,2}\/\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.test(text)) return 'YYYY/MM/DD';
  if (/^\d{4}\.\d{1,2}\.\d{1,2}$/.test(text)) return 'YYYY.MM.DD';
  if (/^.{4}年.{1,3}月.{1,3}日$/.test(text.replace(/\s+/g, ''))) return 'zh';
  if (/^\d{8}(?:\d{6})?$/.test(text)) return 'YYYYMMDD';
  if (/^\d{5}(?:\.\d+)?$/.test(text)) return 'excel';
  return null;
}

export interface DatesSeen {
  format: ProfileDateFormat;
  /** Each shape with how many values had it, most first. */
  shapes: { shape: DateShape; count: number }[];
  /** Filled values no format reads. */
  unreadable: number;
}

/** The format for a column's values; YYYY-MM-DD when nothing was filled in. */
export function datesSeen(values: readonly Value[]): DatesSeen {
  const counts = new Map<DateShape, number>();
  let unreadable = 0;
  for (const value of values) {
    const shape = dateShape(value);
    if (shape) counts.set(shape, (counts.get(shape) ?? 0) + 1);
    else if (value !== null && typeof value !== 'boolean' && String(value).trim() !== '' && longTermDate(value) === null) unreadable++;
  }
  const shapes = [...counts].map(([shape, count]) => ({ shape, count })).sort((a, b) => b.count - a.count);
  const format: ProfileDateFormat = shapes.length === 0 ? 'YYYY-MM-DD' : shapes.length === 1 ? shapes[0]!.shape : 'any';
  return { format, shapes, unreadable };
}
