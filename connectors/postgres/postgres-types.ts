/**
 * PostgreSQL values → the contract's values, and back for cursors. Pure.
 *
 * The driver hands every value over as PostgreSQL's own text output (no
 * parser of the pg package runs, so nothing passes through the gateway
 * process's time zone or a JavaScript float). The session is fixed to
 * TimeZone 'UTC', DateStyle 'ISO, YMD' and extra_float_digits 3, so the texts
 * below are the only shapes to read.
 *
 * Rules a department should know (also in the README):
 * - numeric keeps the digits the database prints (NUMERIC(12,2) 12.5 is
 *   '12.50'); NaN and ±Infinity are no decimals: null.
 * - date/timestamp/timestamptz 'infinity' and '-infinity' are null: an
 *   unbounded validity ("长期有效") has no date to send, and a row whose cursor
 *   column is infinite is invisible to incremental reads like a NULL one.
 *   As a cursor value, an infinity stops the read with SOURCE_QUERY_FAILED.
 *   Years before 1 AD or after 9999 keep PostgreSQL's text ('0044-03-15 BC'),
 *   which the gateway's date checks then reject with a reason.
 * - timestamp (no zone) is wall-clock time in the source's configured zone;
 *   timestamptz is an instant. Both become ISO-8601 UTC with milliseconds,
 *   finer digits truncated (see ../sql/time.ts); cursor positions keep the
 *   microseconds (exactTimestamp) and bind them back.
 * - char(n) loses its trailing pad spaces; text/varchar/json/jsonb/xml/uuid
 *   and any type the gateway does not know are read whole as text.
 * - arrays become a JSON array of the elements' PostgreSQL text
 *   ('{1,NULL}' → '["1",null]'); elements are not normalised further.
 * - bytea (and arrays of it) is refused with SOURCE_BINARY_COLUMN, which
 *   SqlSource turns into an unreadable value of that row (the gateway
 *   rejects the row only if the job maps the column). To send it, map it
 *   explicitly in the job query, e.g. encode(col, 'base64').
 * - time, timetz, interval and money keep PostgreSQL's text.
 */
import type { Value } from '../contract.js';
import type { ColumnMeta, CursorContext, NormaliseContext } from '../sql/dialect.js';
import { ConnectorError } from '../errors.js';
import { canonicalDecimal, exactInteger } from '../sql/decimal.js';
import { isIsoUtc, isoFromEpoch, isoToEpoch, isoToNaiveLocal, naiveLocalToIso } from '../sql/time.js';
import { parsePostgresArray } from './postgres-array.js';

/** Built-in type OIDs (fixed in pg_type.dat since PostgreSQL 7.x; the derivatives keep them). */
export const PG_TYPE_NAMES: Readonly<Record<number, string>> = {
  16: 'bool', 17: 'bytea', 18: 'char', 19: 'name', 20: 'int8', 21: 'int2', 23: 'int4', 25: 'text', 26: 'oid',
  114: 'json', 142: 'xml', 700: 'float4', 701: 'float8', 790: 'money', 1042: 'bpchar', 1043: 'varchar',
  1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1186: 'interval', 1266: 'timetz',
  1700: 'numeric', 2950: 'uuid', 3802: 'jsonb', 869: 'inet', 650: 'cidr', 829: 'macaddr', 1560: 'bit', 1562: 'varbit',
  // Arrays, named element[] so every array reads the same way.
  1000: 'bool[]', 1001: 'bytea[]', 1002: 'char[]', 1003: 'name[]', 1005: 'int2[]', 1007: 'int4[]', 1009: 'text[]',
  1014: 'bpchar[]', 1015: 'varchar[]', 1016: 'int8[]', 1021: 'float4[]', 1022: 'float8[]', 1028: 'oid[]',
  1115: 'timestamp[]', 1182: 'date[]', 1183: 'time[]', 1185: 'timestamptz[]', 1187: 'interval[]', 1231: 'numeric[]',
  1270: 'timetz[]', 199: 'json[]', 3807: 'jsonb[]', 2951: 'uuid[]', 143: 'xml[]', 791: 'money[]',
};

/** What pg_type says of a type the table above does not know (enums, domains' arrays, extensions). */
export interface PgTypeRow {
  typname: string;
  /** 'A' for arrays. */
  typcategory: string;
  /** Element type name of an array, else null. */
  elemname: string | null;
}

export function typeNameFromCatalog(row: PgTypeRow): string {
  return row.typcategory === 'A' && row.elemname ? `${row.elemname}[]` : row.typname;
}

const TIME_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);

/**
 * A result field (type OID and type modifier, as the wire protocol describes
 * it) → ColumnMeta. The modifier of numeric packs precision and scale; of the
 * time types, the fractional digits (-1 = the default, 6).
 */
export function columnMeta(name: string, typeName: string, typmod: number): ColumnMeta {
  const meta: ColumnMeta = { name, type: typeName };
  if (typeName === 'numeric') {
    // Scale is 11 bits, signed since PostgreSQL 15 (NUMERIC(5,-2) rounds to hundreds).
    meta.precision = typmod >= 4 ? ((typmod - 4) >> 16) & 0xffff : null;
    meta.scale = typmod >= 4 ? ((((typmod - 4) & 0x7ff) ^ 1024) - 1024) : null;
  } else if (TIME_TYPES.has(typeName)) {
    meta.fractionalDigits = typmod >= 0 ? typmod : 6;
  }
  return meta;
}

const INFINITE = new Set(['infinity', '-infinity']);
const NOT_A_NUMBER = new Set(['NaN', 'Infinity', '-Infinity']);

export function normalisePostgresValue(value: unknown, context: NormaliseContext): Value {
  if (value === null || value === undefined) return null;
  const { column } = context;
  if (column.type === 'bytea' || column.type === 'bytea[]') {
    throw new ConnectorError('SOURCE_BINARY_COLUMN', `column "${column.name}" (${column.type})`);
  }
  // Values already converted (a driver configured otherwise, or literals in tests) pass as the contract allows.
  if (typeof value === 'boolean' || typeof value === 'number') return Number.isFinite(value) || typeof value === 'boolean' ? value : null;
  const text = String(value);
  switch (column.type) {
    case 'bool':
      return text === 't' || text === 'true';
    case 'int2':
    case 'int4':
    case 'oid':
      return Number(text);
    case 'int8':
      return exactInteger(text);
    case 'float4':
    case 'float8':
      return NOT_A_NUMBER.has(text) ? null : Number(text);
    case 'numeric':
      return NOT_A_NUMBER.has(text) ? null : (canonicalDecimal(text, column.scale) ?? text);
    case 'date':
      return INFINITE.has(text) ? null : text;
    case 'timestamp':
      return INFINITE.has(text) ? null : (naiveLocalToIso(text, context.timeZone) ?? text);
    case 'timestamptz':
      return INFINITE.has(text) ? null : (zonedToIso(text) ?? text);
    case 'bpchar':
      return text.replace(/ +$/, '');
    default:
      return column.type.endsWith('[]') ? JSON.stringify(parsePostgresArray(text)) : text;
  }
}

const ZONED = /^(\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/;

/**
 * timestamptz text ('2026-01-01 04:00:00.123456+00', or with any offset, down
 * to the seconds of local mean time in old dates) → ISO UTC, truncated to ms.
 */
export function zonedToIso(text: string): string | null {
  const m = ZONED.exec(text);
  if (!m) return null;
  const wall = naiveLocalToIso(m[1]!, 'UTC');
  if (wall === null) return null;
  const offsetSecs = Number(m[3]) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0);
  return isoFromEpoch(isoToEpoch(wall)! - (m[2] === '-' ? -1 : 1) * offsetSecs * 1000);
}

/**
 * A normalised cursor value → what to bind so PostgreSQL compares it in the
 * column's own terms. Parameters go untyped, so the server reads each as the
 * column's type: a naive timestamp must therefore be the wall-clock time in
 * the configured zone; a timestamptz reads ISO with 'Z' as the instant it is.
 */
export function postgresCursorParam(value: Value, context: CursorContext): unknown {
  // Pages never return a NULL cursor value (SqlSource leaves those rows out), so
  // a null here is an infinite date or timestamp read as null. Whether it was
  // +infinity or -infinity is lost, and guessing either way skips rows or
  // reads the table again for ever: stop with the reason instead.
  if (value === null) {
    throw new ConnectorError(
      'SOURCE_QUERY_FAILED',
      `cursor column "${context.column.name}" (${context.column.type}) holds infinity or -infinity, which has no position to continue from: leave such rows out of the job query (WHERE "${context.column.name}" <> 'infinity' AND "${context.column.name}" <> '-infinity') or map them to a real value`,
    );
  }
  // The driver's own text of the row is exact to the microsecond and needs no zone.
  if ((context.column.type === 'timestamp' || context.column.type === 'timestamptz') && typeof context.raw === 'string') return context.raw;
  // Exact positions keep the microseconds (sql/time.ts exactTimestamp); isoToNaiveLocal keeps them too.
  if (context.column.type === 'timestamp' && isIsoUtc(value)) return isoToNaiveLocal(value, context.timeZone);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value;
}
