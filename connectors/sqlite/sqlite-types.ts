/**
 * SQLite values → contract values. SQLite types values, not columns, so the
 * column's declared type (what CREATE TABLE said, which SQLite reports for a
 * column taken straight from a table) decides what a value means:
 *
 * | declared type                  | value                        | record value             |
 * |--------------------------------|------------------------------|--------------------------|
 * | DATETIME, TIMESTAMP(n)         | 'YYYY-MM-DD HH:MM:SS[.fff]'  | ISO UTC, read in the zone |
 * |                                | text with Z or ±HH:MM        | ISO UTC of that instant  |
 * | DATE                           | 'YYYY-MM-DD[ 00:00:00]'      | 'YYYY-MM-DD'             |
 * | DECIMAL(p,s), NUMERIC(p,s)     | text or number               | decimal text, s digits   |
 * | BOOL, BOOLEAN                  | 0 / 1                        | false / true             |
 * | CHAR(n), NCHAR(n)              | text                         | trailing spaces trimmed  |
 * | anything                       | integer                      | number, or text past 2^53|
 * | anything                       | blob                         | refused                  |
 *
 * Anything else passes unchanged; so does a value that does not look like its
 * declared type (SQLite lets a DATETIME column hold 'n/a'): the check belongs
 * to validation, and inventing a value here would hide it. SQLite stores
 * DECIMAL as a float when it can, so exact decimals belong in TEXT columns.
 */
import type { Value } from '../contract.js';
import { ConnectorError } from '../errors.js';
import type { ColumnMeta, CursorContext, NormaliseContext } from '../sql/dialect.js';
import { canonicalDecimal, exactInteger } from '../sql/decimal.js';
import { isoToNaiveLocal, isoFromEpoch, isIsoUtc, naiveLocalToIso, subMillisecondDigits } from '../sql/time.js';

export type SqliteTypeClass = 'timestamp' | 'date' | 'decimal' | 'boolean' | 'char' | 'integer' | 'other';

/** Column metadata from a declared type, e.g. 'DECIMAL(20,4)' → precision 20, scale 4; 'TIMESTAMP(3)' → 3 fractional digits. */
export function sqliteColumnMeta(name: string, declared: string | null): ColumnMeta {
  const type = (declared ?? '').trim();
  const args = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(type);
  const meta: ColumnMeta = { name, type };
  const kind = classify(type);
  if (kind === 'decimal' && args) {
    meta.precision = Number(args[1]);
    meta.scale = args[2] === undefined ? 0 : Number(args[2]);
  }
  if (kind === 'timestamp') meta.fractionalDigits = args ? Number(args[1]) : null;
  return meta;
}

export function classify(declared: string): SqliteTypeClass {
  const type = declared.toUpperCase().replace(/\(.*$/, '').trim();
  if (/^(DATETIME|TIMESTAMP)\b/.test(type)) return 'timestamp';
  if (type === 'DATE') return 'date';
  if (/^(DECIMAL|NUMERIC|NUMBER)$/.test(type)) return 'decimal';
  if (/^BOOL(EAN)?$/.test(type)) return 'boolean';
  if (/^(N?CHAR|CHARACTER|NATIVE CHARACTER)$/.test(type)) return 'char';
  if (type.includes('INT')) return 'integer';
  return 'other';
}

const ZONED = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})$/i;

export function normaliseSqliteValue(value: unknown, context: NormaliseContext): Value {
  const { column, timeZone } = context;
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column.name}"`);
  const kind = classify(column.type);
  if (typeof value === 'bigint') return kind === 'decimal' ? decimalText(value.toString(), column) : kind === 'boolean' ? value !== 0n : exactInteger(value);
  if (typeof value === 'number') {
    if (kind === 'boolean' && (value === 0 || value === 1)) return value === 1;
    if (kind === 'decimal') return decimalText(String(value), column);
    return value;
  }
  if (typeof value !== 'string') return String(value);
  switch (kind) {
    case 'timestamp':
      return zonedToIso(value) ?? naiveLocalToIso(value, timeZone) ?? value;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?$/.test(value) ? value.slice(0, 10) : value;
    case 'decimal':
      return decimalText(value, column);
    case 'boolean':
      return /^(1|true|t)$/i.test(value) ? true : /^(0|false|f)$/i.test(value) ? false : value;
    case 'char':
      return value.replace(/ +$/, '');
    default:
      return value;
  }
}

/**
 * A cursor value → what SQLite compares against the stored text. The raw
 * stored value when this source read the row itself (exact). Otherwise a
 * timestamp goes back to SQLite's own text form, 'YYYY-MM-DD HH:MM:SS', with
 * as many fraction digits as the declared type promises (TIMESTAMP(3) →
 * '.123'), which matches the stored text exactly. When the type promises
 * nothing (DATETIME), the fraction's trailing zeros are dropped: for one
 * instant that text sorts at or before every other spelling of it, so a
 * resumed cursor can only re-read, never skip.
 */
export function sqliteCursorParam(value: Value, context: CursorContext): unknown {
  if (context.raw !== undefined && !(context.raw instanceof Uint8Array)) return context.raw;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const kind = classify(context.column.type);
  if (kind === 'timestamp' && isIsoUtc(value)) {
    const naive = isoToNaiveLocal(value, context.timeZone);
    // An exact position (finer than milliseconds) carries the stored fraction as it was spelt: give it back as it is.
    if (naive && subMillisecondDigits(value) && context.column.fractionalDigits == null) return naive;
    if (naive) return withFraction(naive, context.column.fractionalDigits);
  }
  if (typeof value === 'string' && kind === 'integer' && /^-?\d+$/.test(value)) return BigInt(value);
  return value;
}

/** 'YYYY-MM-DD HH:MM:SS.fff' with `digits` fraction digits (cut or padded with zeros: never above the value), or trailing zeros dropped when unknown. */
function withFraction(naive: string, digits: number | null | undefined): string {
  const [seconds, fraction = ''] = naive.split('.');
  if (digits === null || digits === undefined) return fraction.replace(/0+$/, '') ? `${seconds}.${fraction.replace(/0+$/, '')}` : seconds!;
  return digits === 0 ? seconds! : `${seconds}.${fraction.padEnd(digits, '0').slice(0, digits)}`;
}

function decimalText(text: string, column: ColumnMeta): string {
  return canonicalDecimal(text, column.scale) ?? text;
}

function zonedToIso(text: string): string | null {
  const m = ZONED.exec(text.trim());
  if (!m) return null;
  const local = naiveLocalToIso(`${m[1]} ${m[2]}`, 'UTC');
  if (!local) return null;
  if (/^z$/i.test(m[3]!)) return local;
  const sign = m[3]!.startsWith('-') ? -1 : 1;
  const digits = m[3]!.replace(/[+:-]/g, '');
  const offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  return isoFromEpoch(Date.parse(local) - offsetMs);
}
