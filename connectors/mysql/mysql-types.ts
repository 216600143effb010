/**
 * MySQL/MariaDB values as mysql2 returns them over the text protocol, with
 * the driver options in mysql-driver.ts (dateStrings, bigNumberStrings,
 * jsonStrings) and the session in mysql-dialect.ts (time_zone '+00:00') →
 * the contract's values. Pure: no driver, no I/O.
 *
 * Zero dates: MySQL lets a DATE/DATETIME/TIMESTAMP hold '0000-00-00' (or a
 * zero month or day, '2026-00-15') when sql_mode allows it; legacy business
 * databases use it for "no date". It is not a day anyone could send, so it
 * normalises to null, exactly like NULL (what Connector/J does with
 * zeroDateTimeBehavior=CONVERT_TO_NULL).
 */
import type { Value } from '../contract.js';
import { ConnectorError } from '../errors.js';
import type { ColumnMeta, CursorContext, NormaliseContext } from '../sql/dialect.js';
import { canonicalDecimal, exactInteger } from '../sql/decimal.js';
import { isoToNaiveLocal, naiveLocalToIso } from '../sql/time.js';

/** The part of mysql2's column definition we read. */
export interface MysqlField {
  name: string;
  columnType?: number;
  characterSet?: number;
  columnLength?: number;
  decimals: number;
  flags: number | string[];
  /** MariaDB 10.5+: 'json' for JSON columns, which travel as LONGTEXT. */
  extendedFormat?: string;
}

/** The wire type codes of the MySQL protocol (include/field_types.h). */
const WIRE_TYPES: Record<number, string> = {
  0x00: 'DECIMAL',
  0x01: 'TINYINT',
  0x02: 'SMALLINT',
  0x03: 'INT',
  0x04: 'FLOAT',
  0x05: 'DOUBLE',
  0x06: 'NULL',
  0x07: 'TIMESTAMP',
  0x08: 'BIGINT',
  0x09: 'MEDIUMINT',
  0x0a: 'DATE',
  0x0b: 'TIME',
  0x0c: 'DATETIME',
  0x0d: 'YEAR',
  0x0e: 'DATE',
  0x0f: 'VARCHAR',
  0x10: 'BIT',
  0xf2: 'VECTOR',
  0xf5: 'JSON',
  0xf6: 'DECIMAL',
  0xf7: 'ENUM',
  0xf8: 'SET',
  0xf9: 'TEXT',
  0xfa: 'TEXT',
  0xfb: 'TEXT',
  0xfc: 'TEXT',
  0xfd: 'VARCHAR',
  0xfe: 'CHAR',
  0xff: 'GEOMETRY',
};

/** Character set 63 is `binary`: the column holds bytes, not text. */
const BINARY_CHARSET = 63;
const FLAG_UNSIGNED = 32;
const FLAG_ENUM = 256;
const FLAG_SET = 2048;

const BINARY_NAMES: Record<string, string> = { CHAR: 'BINARY', VARCHAR: 'VARBINARY', TEXT: 'BLOB' };

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'YEAR']);
/** Types whose values are bytes (or structures decoded from bytes): refused unless converted in SQL. */
const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'BLOB', 'GEOMETRY', 'VECTOR']);

function flagBits(flags: number | string[]): number {
  return typeof flags === 'number' ? flags : 0;
}

/**
 * A result column → ColumnMeta. The type is the column's SQL type name as
 * far as the protocol tells it: TINYINT(1) keeps its display width as
 * precision (that is how MySQL spells BOOLEAN), DECIMAL gets its declared
 * precision and scale, temporal types their fractional digits.
 */
export function mysqlColumnMeta(field: MysqlField): ColumnMeta {
  const flags = flagBits(field.flags);
  let type = WIRE_TYPES[field.columnType ?? -1] ?? `TYPE ${field.columnType}`;
  if (field.extendedFormat === 'json') type = 'JSON';
  else if (type === 'CHAR' && flags & FLAG_ENUM) type = 'ENUM';
  else if (type === 'CHAR' && flags & FLAG_SET) type = 'SET';
  else if (field.characterSet === BINARY_CHARSET && BINARY_NAMES[type]) type = BINARY_NAMES[type]!;
  if (INTEGER_TYPES.has(type) && type !== 'YEAR' && flags & FLAG_UNSIGNED) type = `${type} UNSIGNED`;

  const length = field.columnLength ?? null;
  if (type === 'DECIMAL') {
    const scale = field.decimals;
    // The protocol's length counts the sign (unless unsigned) and the point (if any scale).
    const precision = length === null ? null : length - (scale > 0 ? 1 : 0) - (flags & FLAG_UNSIGNED ? 0 : 1);
    return { name: field.name, type, precision, scale };
  }
  if (type === 'DATETIME' || type === 'TIMESTAMP' || type === 'TIME') {
    // 31 and above mean "not fixed" (an expression of unknown precision).
    const digits = field.decimals <= 6 ? field.decimals : null;
    return { name: field.name, type, fractionalDigits: digits };
  }
  if (type.startsWith('TINYINT') || type === 'BIT') return { name: field.name, type, precision: length };
  return { name: field.name, type };
}

/** '0000-00-00', '2026-00-15', '0000-00-00 00:00:00': a zero year, month or day. */
export function isZeroDate(text: string): boolean {
  return /^(?:0000|\d{4}-00|\d{4}-\d{2}-00)/.test(text);
}

function bitsToNumber(bytes: Buffer): number | string {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return exactInteger(n);
}

function refuseBinary(column: ColumnMeta): never {
  throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column.name}" (${column.type})`);
}

const UNSIGNED = ' UNSIGNED';

/** One value as mysql2 returned it → the contract's Value. */
export function normaliseMysqlValue(value: unknown, context: NormaliseContext): Value {
  const { column } = context;
  if (value === null || value === undefined) return null;
  const type = column.type.endsWith(UNSIGNED) ? column.type.slice(0, -UNSIGNED.length) : column.type;
  if (BINARY_TYPES.has(type)) refuseBinary(column);
  if (type === 'BIT') {
    if (!Buffer.isBuffer(value)) return typeof value === 'number' ? value : refuseBinary(column);
    const n = bitsToNumber(value);
    return column.precision === 1 ? n !== 0 : n;
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) refuseBinary(column);
  if (type === 'TINYINT' && column.precision === 1) return Number(value) !== 0;
  if (INTEGER_TYPES.has(type)) return typeof value === 'number' ? value : exactInteger(String(value));
  switch (type) {
    case 'DECIMAL': {
      // MySQL already prints the column's scale ('12.50' for DECIMAL(10,2)); this undoes ZEROFILL padding.
      const text = canonicalDecimal(String(value), column.scale);
      if (text === null) throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" returned ${JSON.stringify(value)}, not a DECIMAL`);
      return text;
    }
    case 'FLOAT':
    case 'DOUBLE':
      return typeof value === 'number' ? value : Number(value);
    case 'DATE': {
      const text = String(value);
      return isZeroDate(text) ? null : text.slice(0, 10);
    }
    case 'DATETIME':
    case 'TIMESTAMP': {
      const text = String(value);
      if (isZeroDate(text)) return null;
      // The session's time_zone is '+00:00' (mysql-dialect.ts): a TIMESTAMP arrives as naive UTC.
      const iso = naiveLocalToIso(text, type === 'TIMESTAMP' ? 'UTC' : context.timeZone);
      if (iso === null) throw new ConnectorError('SOURCE_QUERY_FAILED', `column "${column.name}" returned ${JSON.stringify(text)}, not a ${type}`);
      return iso;
    }
    case 'CHAR':
      // MySQL strips CHAR padding itself unless sql_mode has PAD_CHAR_TO_FULL_LENGTH; the session drops that mode, this is the belt to its braces.
      return String(value).replace(/ +$/, '');
    default:
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      // Anything the driver decoded into a structure (a geometry, a vector) came from bytes.
      return refuseBinary(column);
  }
}

/**
 * mysql2 writes an object with toSqlString() into the statement as is. Used
 * for exact numbers, which must reach the server as numeric literals: MySQL
 * compares a DECIMAL or BIGINT column with a quoted string as doubles, so
 * '9007199254740993' would equal 9007199254740992 and a cursor could skip a row.
 */
const EXACT_NUMBER = /^-?\d+(\.\d+)?$/;

export class SqlNumber {
  readonly text: string;
  constructor(text: string) {
    if (!EXACT_NUMBER.test(text)) throw new Error(`not an exact number: ${JSON.stringify(text)}`);
    this.text = text;
  }
  toSqlString(): string {
    return this.text;
  }
}

/**
 * A cursor value → what to bind so the server compares it in the column's
 * own terms. The driver's own text for the row, when the source still has
 * it, is bound as it came: exact to the microsecond, no zone to apply.
 * Otherwise the normalised value is turned back: DATETIME as the naive
 * wall-clock time in the configured zone, TIMESTAMP as naive UTC (the
 * session's zone), exact numbers as numeric literals, booleans as 1/0.
 */
export function mysqlCursorParam(value: Value, context: CursorContext): unknown {
  const { column } = context;
  const type = column.type.endsWith(UNSIGNED) ? column.type.slice(0, -UNSIGNED.length) : column.type;
  const exactNumber = INTEGER_TYPES.has(type) || type === 'DECIMAL';
  if (typeof context.raw === 'string' && (!exactNumber || EXACT_NUMBER.test(context.raw))) {
    return exactNumber ? new SqlNumber(context.raw) : context.raw;
  }
  if (typeof context.raw === 'number') return context.raw;
  if (value === null) {
    // A zero date normalises to null, and sorts before every real date: bound back as the zero date, paging moves past it.
    if (type === 'DATETIME' || type === 'TIMESTAMP') return '0000-00-00 00:00:00';
    if (type === 'DATE') return '0000-00-00';
    return null;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if ((type === 'DATETIME' || type === 'TIMESTAMP') && typeof value === 'string') {
    const naive = isoToNaiveLocal(value, type === 'TIMESTAMP' ? 'UTC' : context.timeZone);
    if (naive === null) throw new Error(`cursor value ${JSON.stringify(value)} of column "${column.name}" is not an ISO-8601 UTC timestamp`);
    return naive;
  }
  if ((exactNumber || type === 'BIT') && typeof value === 'string') return new SqlNumber(value);
  return value;
}
