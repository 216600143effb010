/**
 * SQL Server values as tedious 19 hands them over → the contract's values,
 * and back for cursors. Pure.
 *
 * The driver runs with tedious' `useUTC: true`, so every naive value
 * (DATE, DATETIME, SMALLDATETIME, DATETIME2, TIME) arrives as a Date whose
 * UTC fields hold what the database stores, whatever the gateway process's
 * own zone; DATETIMEOFFSET arrives as the real instant.
 *
 * Rules a department should know (also in the README):
 * - DECIMAL/NUMERIC/MONEY/SMALLMONEY: tedious 19 has no option to read them
 *   as text; it parses the wire's scaled integer n into the double
 *   n / 10^scale. That double still names n exactly whenever |n| < 2^51
 *   (any value of up to 15 significant digits): the division is rounded
 *   once, so it lies within half a unit in the 16th digit, and toFixed(scale)
 *   rounds it back to n / 10^scale. So columns of up to 15 digits are read as
 *   they come; wider ones (DECIMAL(20,4), MONEY) are read by the page as
 *   SQL Server's own text (the driver puts CONVERT(VARCHAR) in the select
 *   list, see exactSelectList), and a value that still arrives as a double
 *   beyond 2^51 is refused, never sent rounded. The result keeps the
 *   column's scale ('12.50' for DECIMAL(12,2)), as the database prints it.
 * - BIGINT arrives as text (tedious reads it with BigInt): a number when it
 *   is a safe integer, else the exact digits.
 * - BIT is a boolean; FLOAT a number; REAL the shortest decimal that is the
 *   same single-precision value (0.1, not 0.10000000149011612).
 * - DATE is 'YYYY-MM-DD'. DATETIME, SMALLDATETIME and DATETIME2 are
 *   wall-clock times in the source's configured zone; DATETIMEOFFSET is an
 *   instant; all become ISO-8601 UTC with milliseconds, finer digits
 *   truncated (see ../sql/time.ts). TIME is 'HH:mm:ss[.SSS]'.
 * - CHAR/NCHAR lose their trailing pad spaces; VARCHAR, NVARCHAR, TEXT,
 *   NTEXT, the (MAX) types and XML are read whole; UNIQUEIDENTIFIER is its
 *   upper-case text.
 * - BINARY, VARBINARY, IMAGE, TIMESTAMP/ROWVERSION and CLR types
 *   (geography, geometry, hierarchyid) are refused: SOURCE_BINARY_COLUMN (an unreadable value of the row, see sql-source.ts).
 *   Convert them in the job query, e.g. CONVERT(VARCHAR(MAX), col, 2) for
 *   hex, or col.STAsText() for a geography.
 */
import type { Value } from '../contract.js';
import { ConnectorError } from '../errors.js';
import { canonicalDecimal, exactInteger } from '../sql/decimal.js';
import type { ColumnMeta, CursorContext, NormaliseContext } from '../sql/dialect.js';
import { epochToWallClockDate, isoFromEpoch, isoToEpoch, subMillisecondDigits, wallClockDateToIso } from '../sql/time.js';

/** The tedious types the driver binds; each names a type in `mssql`'s TYPES. */
export type MssqlParamType =
  | 'BigInt' | 'Int' | 'Bit' | 'Float' | 'Decimal'
  | 'Date' | 'DateTime' | 'SmallDateTime' | 'DateTime2' | 'DateTimeOffset'
  | 'VarChar' | 'NVarChar' | 'UniqueIdentifier';

/**
 * A value with the SQL Server type it must be bound as. Binding a cursor in
 * the column's own type keeps the comparison exact and the index usable:
 * a DATETIME compared with a DATETIME2 parameter is widened to .0033333
 * (SQL Server 2016+), so the row the cursor stands on would compare greater
 * than itself and be read again, for ever when a page is full of them; an
 * NVARCHAR parameter against a VARCHAR column converts the column and scans.
 */
export interface MssqlParam {
  readonly mssqlParam: true;
  type: MssqlParamType;
  value: string | number | boolean | Date | null;
  precision?: number;
  scale?: number;
  /** The SQL type the bound text is CAST to where it is placed, e.g. 'DECIMAL(20,4)'. */
  cast?: string;
}

export function mssqlParam(type: MssqlParamType, value: MssqlParam['value'], size: { precision?: number; scale?: number; cast?: string } = {}): MssqlParam {
  return { mssqlParam: true, type, value, ...size };
}

export function isMssqlParam(value: unknown): value is MssqlParam {
  return typeof value === 'object' && value !== null && (value as MssqlParam).mssqlParam === true;
}

/** `mssql`'s column metadata (recordset.columns): the subset read here. */
export interface MssqlColumn {
  name: string;
  /** `mssql`'s type, whose `declaration` is the lower-case type name ('decimal', 'datetime2' …); undefined for types it does not know. */
  type?: { declaration?: string } | undefined;
  length?: number | undefined;
  precision?: number | undefined;
  scale?: number | undefined;
  udt?: { name?: string } | undefined;
}

const FRACTIONAL_DIGITS: Readonly<Record<string, number>> = { DATETIME: 3, SMALLDATETIME: 0 };
const SCALED_TIME = new Set(['DATETIME2', 'DATETIMEOFFSET', 'TIME']);
const EXACT = new Set(['DECIMAL', 'NUMERIC', 'MONEY', 'SMALLMONEY']);

/** `mssql` column metadata → ColumnMeta, type names upper-case as SQL Server writes them. */
export function mssqlColumnMeta(column: MssqlColumn): ColumnMeta {
  const declared = column.udt?.name ?? column.type?.declaration ?? 'unknown';
  const type = declared === 'variant' ? 'SQL_VARIANT' : declared.toUpperCase();
  const meta: ColumnMeta = { name: column.name, type };
  if (type === 'DECIMAL' || type === 'NUMERIC') {
    meta.precision = column.precision ?? null;
    meta.scale = column.scale ?? null;
  } else if (type === 'MONEY' || type === 'SMALLMONEY') {
    meta.precision = type === 'MONEY' ? 19 : 10;
    meta.scale = 4;
  } else if (SCALED_TIME.has(type)) {
    meta.fractionalDigits = column.scale ?? 7;
  } else if (type in FRACTIONAL_DIGITS) {
    meta.fractionalDigits = FRACTIONAL_DIGITS[type]!;
  }
  return meta;
}

const BINARY = new Set(['BINARY', 'VARBINARY', 'IMAGE', 'TIMESTAMP', 'ROWVERSION', 'UDT', 'GEOGRAPHY', 'GEOMETRY', 'HIERARCHYID']);
const PADDED = new Set(['CHAR', 'NCHAR']);
const NAIVE_TIMESTAMP = new Set(['DATETIME', 'SMALLDATETIME', 'DATETIME2']);

export function normaliseMssqlValue(value: unknown, context: NormaliseContext): Value {
  if (value === null || value === undefined) return null;
  const { column, timeZone } = context;
  const type = column.type.toUpperCase();
  if (BINARY.has(type) || Buffer.isBuffer(value) || value instanceof Uint8Array) {
    throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column.name}" (${type})`);
  }
  if (EXACT.has(type)) return exactDecimal(value, column);
  if (type === 'BIGINT') return exactInteger(value as string);
  if (type === 'REAL' && typeof value === 'number') return shortestSingle(value);
  if (value instanceof Date) {
    if (type === 'DATE') return isoFromEpoch(value.getTime()).slice(0, 10);
    if (type === 'DATETIMEOFFSET') return isoFromEpoch(value.getTime());
    if (type === 'TIME') return timeOfDay(value, column.fractionalDigits ?? 7);
    // A naive type, or a sql_variant holding one: wall-clock time.
    return wallClockDateToIso(value, timeZone);
  }
  if (typeof value === 'string') return PADDED.has(type) ? value.replace(/ +$/, '') : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return exactInteger(value);
  // Nothing else comes from tedious for a type not refused above; never send an object's '[object Object]'.
  throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column.name}" (${type}) has a value the gateway cannot read as text`);
}

/** Whether tedious' double can lose digits of this column: the page then reads it as text (exactSelectList in mssql-dialect.ts). */
export function needsExactText(column: ColumnMeta): boolean {
  const type = column.type.toUpperCase();
  if (type === 'MONEY') return true;
  return (type === 'DECIMAL' || type === 'NUMERIC') && ((column.precision ?? 38) > 15 || (column.scale ?? 0) > 22);
}

/** Largest scaled integer whose double still names it exactly (see the file comment); kept a factor 2 inside the proof's 2^52. */
const EXACT_LIMIT = 2 ** 51;

function exactDecimal(value: unknown, column: ColumnMeta): string {
  // Read as text already (a sql_variant holding a string): spelled as every database spells it.
  if (typeof value === 'string') {
    const text = canonicalDecimal(value, column.scale);
    if (text === null) throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" (${column.type}) gave "${value.slice(0, 40)}", not a number`);
    return text;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" (${column.type}) gave a value that is not a number`);
  }
  const scale = column.scale ?? 0;
  if (scale > 22 || Math.abs(value) * 10 ** scale >= EXACT_LIMIT) {
    throw new ConnectorError(
      'SOURCE_QUERY_FAILED',
      `column "${column.name}" (${column.type}) holds a value with more than 15 significant digits, which the SQL Server driver cannot read exactly; ` +
        `CAST it to VARCHAR in the job query, e.g. CAST([${column.name}] AS VARCHAR(50)) AS [${column.name}]`,
    );
  }
  return value.toFixed(scale);
}

/** tedious widens REAL to a double; the shortest decimal that narrows back to the same single is what was stored. */
function shortestSingle(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function timeOfDay(date: Date, fractionalDigits: number): string {
  const hms = isoFromEpoch(date.getTime()).slice(11, 19);
  if (fractionalDigits <= 0) return hms;
  return `${hms}.${String(date.getUTCMilliseconds()).padStart(3, '0').slice(0, Math.min(3, fractionalDigits))}`;
}

/**
 * A normalised cursor value → the parameter that compares with the column in
 * its own type. When the source still has the Date tedious read for the
 * cursor row, that Date goes back as it came, 100 ns digits included (tedious
 * reads them into `nanosecondsDelta` and writes them from
 * `nanosecondDelta`); otherwise a naive timestamp goes back to its wall-clock
 * time in the configured zone, as a Date whose UTC fields hold it (tedious
 * writes the UTC fields under useUTC), truncated to milliseconds.
 */
export function mssqlCursorParam(value: Value, context: CursorContext): MssqlParam {
  const { column, timeZone } = context;
  const type = column.type.toUpperCase();
  if (value === null) return mssqlParam('NVarChar', null);
  if (typeof value === 'string' && (NAIVE_TIMESTAMP.has(type) || type === 'DATETIMEOFFSET')) {
    const exact = context.raw instanceof Date ? asWritten(context.raw) : null;
    const epoch = isoToEpoch(value);
    if (epoch === null) throw badCursor(column, value);
    if (type === 'DATETIMEOFFSET') return mssqlParam('DateTimeOffset', exact ?? withFinerDigits(new Date(epoch), value), { scale: column.fractionalDigits ?? 7 });
    const wallClock = exact ?? withFinerDigits(epochToWallClockDate(epoch, timeZone), value);
    if (type === 'DATETIME2') return mssqlParam('DateTime2', wallClock, { scale: column.fractionalDigits ?? 7 });
    return mssqlParam(type === 'DATETIME' ? 'DateTime' : 'SmallDateTime', wallClock);
  }
  if (type === 'DATE' && typeof value === 'string') {
    const epoch = isoToEpoch(`${value.slice(0, 10)}T00:00:00Z`);
    if (epoch === null) throw badCursor(column, value);
    return mssqlParam('Date', new Date(epoch));
  }
  if (EXACT.has(type)) {
    // As text, CAST in SQL: tedious writes a Decimal parameter from a double
    // (and only its low 64 bits), and a Money one by truncating value * 10000,
    // which turns -0.29 into -0.2899, a cursor above its own row.
    const text = canonicalDecimal(String(value), column.scale);
    if (text === null) throw badCursor(column, value);
    const cast = type === 'MONEY' || type === 'SMALLMONEY' ? type : `${type}(${column.precision ?? 38},${column.scale ?? 0})`;
    return mssqlParam('VarChar', text, { cast });
  }
  if (type === 'BIGINT') return mssqlParam('BigInt', String(value));
  if (type === 'INT' || type === 'SMALLINT' || type === 'TINYINT') return mssqlParam('Int', Number(value));
  if (type === 'BIT') return mssqlParam('Bit', value === true || value === 1 || value === '1');
  if (type === 'UNIQUEIDENTIFIER') return mssqlParam('UniqueIdentifier', String(value));
  if (type === 'FLOAT' || type === 'REAL') return mssqlParam('Float', Number(value));
  if (typeof value === 'number') return mssqlParam(Number.isSafeInteger(value) ? 'BigInt' : 'Float', Number.isSafeInteger(value) ? String(value) : value);
  if (typeof value === 'boolean') return mssqlParam('Bit', value);
  return mssqlParam(type === 'CHAR' || type === 'VARCHAR' || type === 'TEXT' ? 'VarChar' : 'NVarChar', value);
}

/**
 * A Date to bind, carrying the cursor's digits below the millisecond (an
 * exact cursor position, '….1234567Z') as the 100 ns remainder tedious
 * writes DATETIME2 and DATETIMEOFFSET from.
 */
function withFinerDigits(date: Date, iso: string): Date {
  const finer = subMillisecondDigits(iso).slice(0, 4);
  if (finer) (date as Date & { nanosecondDelta?: number }).nanosecondDelta = Number(finer.padEnd(4, '0')) / 1e7;
  return date;
}

/** A copy of a Date tedious read, carrying its sub-millisecond digits under the name tedious writes them from. */
function asWritten(read: Date): Date {
  const copy = new Date(read.getTime()) as Date & { nanosecondDelta?: number };
  const delta = (read as Date & { nanosecondsDelta?: number }).nanosecondsDelta;
  if (typeof delta === 'number') copy.nanosecondDelta = delta;
  return copy;
}

function badCursor(column: ColumnMeta, value: Value): ConnectorError {
  return new ConnectorError('SOURCE_QUERY_FAILED', `cursor value ${JSON.stringify(value)} does not fit column "${column.name}" (${column.type})`);
}
