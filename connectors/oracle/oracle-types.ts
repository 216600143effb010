/**
 * Oracle values as node-oracledb 6+ hands them over (thin mode; thick mode
 * gives the same shapes) → the contract's values, and back for cursors. Pure.
 *
 * The driver fetches NUMBER, CLOB and NCLOB as strings, per statement
 * (fetchTypeHandler), never by changing oracledb's global settings. Every
 * other type comes in oracledb's default shape.
 *
 * Rules a department should know (also in the README):
 * - Column names: Oracle folds unquoted names to upper case. A name that is
 *   all upper case (UPDATED_AT) is given to the gateway in lower case
 *   (updated_at), as PostgreSQL would; a name created in quotes with lower or
 *   mixed case ("UpdatedAt") keeps its case. So a job names Oracle columns in
 *   lower case: `cursor: [updated_at, id]`.
 * - NUMBER(p,0) (and INTEGER) is an integer: a number while exact, else the
 *   digits. NUMBER(1,0), Oracle's customary flag column (before 23ai's
 *   BOOLEAN), reads 0 and 1 as false and true; any other digit stays a
 *   number, so a one-digit status code is never folded into a boolean.
 *   NUMBER(p,s) is decimal text with exactly s digits ('12.50'). NUMBER
 *   without precision (and FLOAT) is decimal text as Oracle has it ('12.5',
 *   '0.5'): Oracle does not say whether such a column holds whole numbers.
 * - DATE always has a time of day in Oracle. A DATE at midnight is a day,
 *   'YYYY-MM-DD' (what department schemas store in 决定日期-like columns);
 *   any other DATE, and TIMESTAMP, is a wall-clock time in the source's
 *   configured zone; TIMESTAMP WITH (LOCAL) TIME ZONE is an instant; those
 *   become ISO-8601 UTC with milliseconds, finer digits truncated (see
 *   ../sql/time.ts). Either shape maps with a date format to the same day.
 * - Pages read DATE, TIMESTAMP and the zoned timestamps as text written by
 *   Oracle itself (oracleTextSelectList: TO_CHAR with a fixed format, zoned
 *   ones in UTC), never as the Dates oracledb builds in the gateway
 *   process's own zone, to the millisecond only: so a value reads the same
 *   whatever TZ the service runs with (a wall-clock time in a DST gap of that
 *   zone is not moved, years 1–99 stay themselves), and a cursor keeps every
 *   fractional digit of TIMESTAMP(9). Dates as oracledb gives them are still
 *   read (their local fields) where a query is not a page.
 * - CHAR/NCHAR lose their trailing pad spaces; VARCHAR2, NVARCHAR2, LONG,
 *   CLOB, NCLOB, ROWID and XMLTYPE are read whole as text.
 * - RAW, LONG RAW, BLOB and BFILE are refused: SOURCE_BINARY_COLUMN (an unreadable value of the row, see sql-source.ts).
 *   Convert them in the job query, e.g. RAWTOHEX(col).
 * - INTERVAL, object, JSON and VECTOR columns are refused too: convert them
 *   with TO_CHAR or JSON_SERIALIZE in the job query.
 */
import type { Value } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { canonicalDecimal, exactInteger } from '../sql/decimal.js';
import type { ColumnMeta, CursorContext, NormaliseContext } from '../sql/dialect.js';
import { isoFromEpoch, isoToEpoch, isoToNaiveLocal, naiveLocalToIso, subMillisecondDigits, wallClockToEpoch } from '../sql/time.js';

/** `result.metaData[i]` of node-oracledb: the subset read here. */
export interface OracleMetaData {
  name: string;
  /** 'NUMBER', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR2' … */
  dbTypeName?: string | undefined;
  /** NUMBER: digits (0 when not declared); TIMESTAMP types: fractional-second digits. */
  precision?: number | undefined;
  /** NUMBER: digits after the point (-127 when not declared). */
  scale?: number | undefined;
}

/** Unquoted Oracle names: folded to upper case by the database. */
const FOLDED = /^[A-Z][A-Z0-9_$#]*$/;
const FOLDABLE = /^[a-z][a-z0-9_$#]*$/;

/** A result column's name as the gateway sees it: folded names in lower case, quoted names as they are. */
export function oracleColumnName(name: string): string {
  return FOLDED.test(name) ? name.toLowerCase() : name;
}

/** A configured column name as Oracle stores it: a lower-case simple name means the folded (upper-case) one. */
export function oracleStoredName(name: string): string {
  return FOLDABLE.test(name) ? name.toUpperCase() : name;
}

const TIMESTAMPS = new Set(['TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH LOCAL TIME ZONE']);

export function oracleColumnMeta(meta: OracleMetaData): ColumnMeta {
  const type = meta.dbTypeName ?? 'UNKNOWN';
  const column: ColumnMeta = { name: oracleColumnName(meta.name), type };
  if (type === 'NUMBER') {
    column.precision = meta.precision ?? null;
    column.scale = meta.scale ?? null;
  } else if (type === 'DATE') {
    column.fractionalDigits = 0;
  } else if (TIMESTAMPS.has(type)) {
    column.fractionalDigits = meta.precision ?? 6;
  }
  return column;
}

const BINARY = new Set(['RAW', 'LONG RAW', 'BLOB', 'BFILE']);
const REFUSED = new Set(['INTERVAL DAY TO SECOND', 'INTERVAL YEAR TO MONTH', 'OBJECT', 'JSON', 'VECTOR', 'CURSOR']);
const PADDED = new Set(['CHAR', 'NCHAR']);
const ZONED = new Set(['TIMESTAMP WITH TIME ZONE', 'TIMESTAMP WITH LOCAL TIME ZONE']);

/** A NUMBER declared with precision and scale ≤ 0 holds whole numbers only. */
function isIntegerColumn(column: ColumnMeta): boolean {
  return (column.precision ?? 0) > 0 && column.scale !== null && column.scale !== undefined && column.scale <= 0 && column.scale !== -127;
}

export function normaliseOracleValue(value: unknown, context: NormaliseContext): Value {
  if (value === null || value === undefined) return null;
  const { column, timeZone } = context;
  const type = column.type.toUpperCase();
  if (BINARY.has(type) || Buffer.isBuffer(value) || value instanceof Uint8Array) {
    throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column.name}" (${type})`);
  }
  if (REFUSED.has(type)) {
    throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" (${type}) cannot be read as a record value; convert it with TO_CHAR or JSON_SERIALIZE in the job query`);
  }
  if (type === 'NUMBER') return oracleNumber(value, column);
  if (type === 'BINARY_FLOAT' && typeof value === 'number') return shortestSingle(value);
  if (typeof value === 'string' && (type === 'DATE' || type === 'TIMESTAMP' || ZONED.has(type))) return timeText(value, column, timeZone);
  if (value instanceof Date) {
    if (ZONED.has(type)) return isoFromEpoch(value.getTime());
    // DATE, TIMESTAMP: oracledb put the stored wall-clock fields into the Date's local fields.
    if (type === 'DATE' && value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0) {
      return localFields(value).slice(0, 10);
    }
    return isoFromEpoch(
      wallClockToEpoch(
        {
          year: value.getFullYear(),
          month: value.getMonth() + 1,
          day: value.getDate(),
          hour: value.getHours(),
          minute: value.getMinutes(),
          second: value.getSeconds(),
          millisecond: value.getMilliseconds(),
        },
        timeZone,
      ),
    );
  }
  if (typeof value === 'string') return PADDED.has(type) ? value.replace(/ +$/, '') : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return exactInteger(value);
  throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" (${type}) has a value the gateway cannot read as text; convert it with TO_CHAR in the job query`);
}

/** The TO_CHAR text of oracleTextSelectList → a day, or ISO UTC (zoned columns were written in UTC). */
function timeText(text: string, column: ColumnMeta, timeZone: string): string {
  const type = column.type.toUpperCase();
  if (type === 'DATE' && /^\d{4}-\d{2}-\d{2} 00:00:00$/.test(text)) return text.slice(0, 10);
  const iso = naiveLocalToIso(text, ZONED.has(type) ? 'UTC' : timeZone);
  if (iso === null) throw new ConnectorError('SOURCE_VALUE_UNREADABLE', `column "${column.name}" (${type}) gave "${text.slice(0, 40)}", not a ${type}`);
  return iso;
}

const TEXT_FORMAT: Record<string, (column: string) => string> = {
  DATE: (c) => `TO_CHAR(${c}, 'YYYY-MM-DD HH24:MI:SS')`,
  TIMESTAMP: (c) => `TO_CHAR(${c}, 'YYYY-MM-DD HH24:MI:SS.FF9')`,
  'TIMESTAMP WITH TIME ZONE': (c) => `TO_CHAR(SYS_EXTRACT_UTC(${c}), 'YYYY-MM-DD HH24:MI:SS.FF9')`,
  'TIMESTAMP WITH LOCAL TIME ZONE': (c) => `TO_CHAR(SYS_EXTRACT_UTC(${c}), 'YYYY-MM-DD HH24:MI:SS.FF9')`,
};

/**
 * The select list a page is sent with when its result has date or time
 * columns: each such column as Oracle's own text in a fixed format, under its
 * own name, the others as they are; null when there is none. Column names
 * are as Oracle describes the result (upper case when folded).
 */
export function oracleTextSelectList(metaData: readonly OracleMetaData[]): string | null {
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  if (!metaData.some((m) => TEXT_FORMAT[(m.dbTypeName ?? '').toUpperCase()])) return null;
  return metaData
    .map((m) => {
      const format = TEXT_FORMAT[(m.dbTypeName ?? '').toUpperCase()];
      return format ? `${format(quoted(m.name))} AS ${quoted(m.name)}` : quoted(m.name);
    })
    .join(', ');
}

function oracleNumber(value: unknown, column: ColumnMeta): Value {
  // Fetched as text; a number only if a caller bypassed the driver's fetch handler.
  const text = String(value).trim();
  if (isIntegerColumn(column) && /^-?\d+$/.test(text)) {
    if (column.precision === 1 && (text === '0' || text === '1')) return text === '1';
    return exactInteger(text);
  }
  const scale = (column.precision ?? 0) > 0 && (column.scale ?? 0) > 0 ? column.scale : null;
  const decimal = canonicalDecimal(text, scale);
  if (decimal === null) throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" (NUMBER) gave "${text.slice(0, 40)}", not a number`);
  return decimal;
}

/** oracledb widens BINARY_FLOAT to a double; the shortest decimal that narrows back to the same single is what was stored. */
function shortestSingle(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

/**
 * How a cursor value is placed in the SQL: the conversion that turns the
 * bound text into the column's own type with a fixed format (never the
 * session's NLS formats), or how it is bound.
 */
export interface OracleParam {
  readonly oracleParam: true;
  value: string | number | null;
  /** Written around the placeholder: TO_DATE(:1, '…'). */
  convert?: 'DATE' | 'TIMESTAMP' | 'TIMESTAMP_TZ' | 'NUMBER';
  /** Bound as CHAR/NCHAR, so Oracle compares with blank-padded semantics, as CHAR columns compare among themselves. */
  bindAs?: 'CHAR' | 'NCHAR';
}

export function isOracleParam(value: unknown): value is OracleParam {
  return typeof value === 'object' && value !== null && (value as OracleParam).oracleParam === true;
}

export const ORACLE_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS';
/** FF9: a cursor keeps every fractional digit TIMESTAMP(9) stores, so it stands exactly on its row. */
export const ORACLE_TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9';
export const ORACLE_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM';

/** The SQL for one placeholder: the bind itself, or the conversion around it. */
export function oracleBindSql(param: unknown, placeholder: string): string {
  if (!isOracleParam(param)) return placeholder;
  switch (param.convert) {
    case 'DATE': return `TO_DATE(${placeholder}, '${ORACLE_DATE_FORMAT}')`;
    case 'TIMESTAMP': return `TO_TIMESTAMP(${placeholder}, '${ORACLE_TIMESTAMP_FORMAT}')`;
    case 'TIMESTAMP_TZ': return `TO_TIMESTAMP_TZ(${placeholder}, '${ORACLE_TIMESTAMP_TZ_FORMAT}')`;
    // The session fixes NLS_NUMERIC_CHARACTERS to '.,' so the text reads the same on every server.
    case 'NUMBER': return `TO_NUMBER(${placeholder})`;
    case undefined: return placeholder;
  }
}

/**
 * A normalised cursor value → its bind, in the column's own type: a DATE
 * column is compared with a DATE (a TIMESTAMP bind would convert the column
 * and lose its index), naive values go back to their wall-clock time in the
 * configured zone.
 */
export function oracleCursorParam(value: Value, context: CursorContext): OracleParam {
  const { column, timeZone } = context;
  const type = column.type.toUpperCase();
  if (value === null) return { oracleParam: true, value: null };
  if (type === 'DATE' || type === 'TIMESTAMP') {
    // The Date oracledb read for the cursor row holds the stored fields: no zone to go through.
    // A day ('YYYY-MM-DD', a DATE at midnight) is that midnight.
    const local =
      typeof context.raw === 'string'
        ? context.raw
        : context.raw instanceof Date
        ? localFields(context.raw)
        : typeof value === 'string'
          ? /^\d{4}-\d{2}-\d{2}$/.test(value)
            ? `${value} 00:00:00.000`
            : isoToNaiveLocal(value, timeZone)
          : null;
    if (local === null) throw badCursor(column, value);
    return type === 'DATE' ? { oracleParam: true, value: local.slice(0, 19), convert: 'DATE' } : { oracleParam: true, value: local, convert: 'TIMESTAMP' };
  }
  if (ZONED.has(type)) {
    const epoch = typeof value === 'string' ? isoToEpoch(value) : null;
    if (epoch === null) throw badCursor(column, value);
    const iso = isoFromEpoch(epoch);
    return { oracleParam: true, value: `${iso.slice(0, 10)} ${iso.slice(11, 23)}${subMillisecondDigits(String(value))} +00:00`, convert: 'TIMESTAMP_TZ' };
  }
  if (type === 'NUMBER') {
    if (typeof value === 'boolean') return { oracleParam: true, value: value ? 1 : 0 };
    if (typeof value === 'number' && Number.isSafeInteger(value)) return { oracleParam: true, value };
    const text = canonicalDecimal(String(value));
    if (text === null) throw badCursor(column, value);
    return { oracleParam: true, value: text, convert: 'NUMBER' };
  }
  if (type === 'CHAR' || type === 'NCHAR') return { oracleParam: true, value: String(value), bindAs: type };
  if (typeof value === 'boolean') return { oracleParam: true, value: value ? 1 : 0 };
  return { oracleParam: true, value };
}

/** 'YYYY-MM-DD HH:mm:ss.SSS' of a Date's local fields, where oracledb puts a DATE's or TIMESTAMP's stored fields. */
function localFields(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${String(date.getFullYear()).padStart(4, '0')}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
  );
}

function badCursor(column: ColumnMeta, value: Value): ConnectorError {
  return new ConnectorError('SOURCE_QUERY_FAILED', `cursor value ${JSON.stringify(value)} does not fit column "${column.name}" (${column.type})`);
}
