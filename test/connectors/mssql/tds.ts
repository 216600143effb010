/**
 * SQL Server values as they cross the wire (TDS ROW token column data), read
 * by tedious' own value parser with the options the driver sets. The values
 * the tests normalise are therefore exactly what a live server would give
 * the gateway through tedious 19: no stand-in for the driver.
 */
import { createRequire } from 'node:module';
import { mssqlColumnMeta } from '../../../connectors/mssql/mssql-types.js';
import type { ColumnMeta } from '../../../connectors/sql/dialect.js';

const require = createRequire(import.meta.url);
const { readValue } = require('tedious/lib/value-parser.js') as {
  readValue(buf: Buffer, offset: number, metadata: object, options: object): { value: unknown };
};
const { TYPE } = require('tedious/lib/data-type.js') as { TYPE: Record<number, { name: string }> };
/** The wire types by name, as the metadata parser picks them by id ('DecimalN', 'IntN' … included). */
const WIRE_TYPES = new Map(Object.values(TYPE).map((type) => [type.name, type]));
const mssql = require('mssql') as Record<string, { declaration?: string }>;

/** The parser options mssql passes down: tedious' defaults, with useUTC as the driver sets it. */
const PARSER_OPTIONS = { useUTC: true, lowerCaseGuids: false, tdsVersion: '7_4' };

export interface Wire {
  /** tedious' type name for the column ('DecimalN', 'DateTime2' …). */
  tdsType: string;
  /** `mssql`'s type for the column metadata ('Decimal', 'DateTime2' …). */
  mssqlType: string;
  bytes: Buffer;
  precision?: number;
  scale?: number;
  codepage?: string;
}

/** The value tedious gives for these bytes, and the column as the driver describes it. */
export function fromWire(wire: Wire, name = 'c'): { value: unknown; column: ColumnMeta } {
  const metadata = {
    type: WIRE_TYPES.get(wire.tdsType),
    precision: wire.precision,
    scale: wire.scale,
    collation: { codepage: wire.codepage ?? 'CP936' },
  };
  const { value } = readValue(wire.bytes, 0, metadata, PARSER_OPTIONS);
  const column = mssqlColumnMeta({ name, type: mssql[wire.mssqlType], precision: wire.precision, scale: wire.scale });
  return { value, column };
}

function le(value: bigint, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let v = value;
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** DECIMAL(p,s)/NUMERIC(p,s) holding unscaled / 10^s. */
export function decimal(precision: number, scale: number, unscaled: bigint, type: 'Decimal' | 'Numeric' = 'Decimal'): Wire {
  const length = precision <= 9 ? 5 : precision <= 19 ? 9 : precision <= 28 ? 13 : 17;
  const magnitude = unscaled < 0n ? -unscaled : unscaled;
  const bytes = Buffer.concat([Buffer.from([length, unscaled < 0n ? 0 : 1]), le(magnitude, length - 1)]);
  return { tdsType: `${type}N`, mssqlType: type, bytes, precision, scale };
}

/** MONEY holding units of 1/10000, sent as MoneyN: high 32 bits first, then the low 32. */
export function money(tenThousandths: bigint): Wire {
  const raw = BigInt.asUintN(64, tenThousandths);
  const bytes = Buffer.concat([Buffer.from([8]), le(raw >> 32n, 4), le(raw & 0xffffffffn, 4)]);
  return { tdsType: 'MoneyN', mssqlType: 'Money', bytes };
}

export function smallMoney(tenThousandths: number): Wire {
  const bytes = Buffer.alloc(5);
  bytes[0] = 4;
  bytes.writeInt32LE(tenThousandths, 1);
  return { tdsType: 'MoneyN', mssqlType: 'SmallMoney', bytes };
}

export function bigint(value: bigint): Wire {
  return { tdsType: 'IntN', mssqlType: 'BigInt', bytes: Buffer.concat([Buffer.from([8]), le(BigInt.asUintN(64, value), 8)]) };
}

export function int(value: number): Wire {
  const bytes = Buffer.alloc(5);
  bytes[0] = 4;
  bytes.writeInt32LE(value, 1);
  return { tdsType: 'IntN', mssqlType: 'Int', bytes };
}

export function bit(value: boolean): Wire {
  return { tdsType: 'BitN', mssqlType: 'Bit', bytes: Buffer.from([1, value ? 1 : 0]) };
}

export function real(value: number): Wire {
  const bytes = Buffer.alloc(5);
  bytes[0] = 4;
  bytes.writeFloatLE(value, 1);
  return { tdsType: 'FloatN', mssqlType: 'Real', bytes };
}

export function float(value: number): Wire {
  const bytes = Buffer.alloc(9);
  bytes[0] = 8;
  bytes.writeDoubleLE(value, 1);
  return { tdsType: 'FloatN', mssqlType: 'Float', bytes };
}

/** Days since 0001-01-01, as DATE, DATETIME2 and DATETIMEOFFSET count them. */
function daysSinceYearOne(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  const one = new Date(0);
  one.setUTCFullYear(1, 0, 1);
  return Math.round((d.getTime() - one.getTime()) / 86_400_000);
}

function timeBytes(scale: number): number {
  return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
}

/** Time of day in units of 10^-scale seconds, as TIME, DATETIME2 and DATETIMEOFFSET send it. */
function timeUnits(hour: number, minute: number, second: number, fraction: string, scale: number): bigint {
  const units = fraction.padEnd(scale, '0').slice(0, scale);
  return BigInt((hour * 60 + minute) * 60 + second) * 10n ** BigInt(scale) + BigInt(units || '0');
}

export interface Fields {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Fraction digits as written, e.g. '1234567' for .1234567. */
  fraction?: string;
}

export function date(f: Fields): Wire {
  return { tdsType: 'Date', mssqlType: 'Date', bytes: Buffer.concat([Buffer.from([3]), le(BigInt(daysSinceYearOne(f.year, f.month, f.day)), 3)]) };
}

export function datetime2(f: Fields, scale = 7): Wire {
  const tb = timeBytes(scale);
  const time = le(timeUnits(f.hour ?? 0, f.minute ?? 0, f.second ?? 0, f.fraction ?? '', scale), tb);
  return {
    tdsType: 'DateTime2',
    mssqlType: 'DateTime2',
    bytes: Buffer.concat([Buffer.from([tb + 3]), time, le(BigInt(daysSinceYearOne(f.year, f.month, f.day)), 3)]),
    scale,
  };
}

/** DATETIMEOFFSET: the fields are the UTC time; the offset (minutes) only says how it was written. */
export function datetimeoffset(utc: Fields, offsetMinutes: number, scale = 7): Wire {
  const tb = timeBytes(scale);
  const time = le(timeUnits(utc.hour ?? 0, utc.minute ?? 0, utc.second ?? 0, utc.fraction ?? '', scale), tb);
  const offset = Buffer.alloc(2);
  offset.writeInt16LE(offsetMinutes);
  return {
    tdsType: 'DateTimeOffset',
    mssqlType: 'DateTimeOffset',
    bytes: Buffer.concat([Buffer.from([tb + 5]), time, le(BigInt(daysSinceYearOne(utc.year, utc.month, utc.day)), 3), offset]),
    scale,
  };
}

/** DATETIME: days since 1900-01-01 and ticks of 1/300 s. */
export function datetime(f: Fields, ticks300: number): Wire {
  const days = daysSinceYearOne(f.year, f.month, f.day) - daysSinceYearOne(1900, 1, 1);
  const bytes = Buffer.alloc(9);
  bytes[0] = 8;
  bytes.writeInt32LE(days, 1);
  bytes.writeUInt32LE(((f.hour ?? 0) * 3600 + (f.minute ?? 0) * 60 + (f.second ?? 0)) * 300 + ticks300, 5);
  return { tdsType: 'DateTimeN', mssqlType: 'DateTime', bytes };
}

export function smalldatetime(f: Fields): Wire {
  const bytes = Buffer.alloc(5);
  bytes[0] = 4;
  bytes.writeUInt16LE(daysSinceYearOne(f.year, f.month, f.day) - daysSinceYearOne(1900, 1, 1), 1);
  bytes.writeUInt16LE((f.hour ?? 0) * 60 + (f.minute ?? 0), 3);
  return { tdsType: 'DateTimeN', mssqlType: 'SmallDateTime', bytes };
}

export function time(hour: number, minute: number, second: number, fraction: string, scale = 7): Wire {
  const tb = timeBytes(scale);
  return { tdsType: 'Time', mssqlType: 'Time', bytes: Buffer.concat([Buffer.from([tb]), le(timeUnits(hour, minute, second, fraction, scale), tb)]), scale };
}

function shortLength(data: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16LE(data.length);
  return Buffer.concat([length, data]);
}

export function nvarchar(text: string, type: 'NVarChar' | 'NChar' = 'NVarChar'): Wire {
  return { tdsType: type, mssqlType: type, bytes: shortLength(Buffer.from(text, 'utf16le')) };
}

/** VARCHAR/CHAR in the collation's code page (CP936, GBK, as Chinese_PRC_CI_AS uses). */
export function varchar(encoded: Buffer, type: 'VarChar' | 'Char' = 'VarChar', codepage = 'CP936'): Wire {
  return { tdsType: type, mssqlType: type, bytes: shortLength(encoded), codepage };
}

export function varbinary(data: Buffer): Wire {
  return { tdsType: 'VarBinary', mssqlType: 'VarBinary', bytes: shortLength(data) };
}

export function uniqueidentifier(bytes16: Buffer): Wire {
  return { tdsType: 'UniqueIdentifier', mssqlType: 'UniqueIdentifier', bytes: Buffer.concat([Buffer.from([16]), bytes16]) };
}

const { typeByName } = require('tedious/lib/data-type.js') as {
  typeByName: Record<string, { generateParameterData(parameter: object, options: object): Iterable<Buffer> }>;
};

/** The bytes tedious writes for a parameter of this type and value (without the length prefix), with the driver's options. */
export function parameterBytes(type: string, value: unknown, scale?: number): Buffer {
  const parameter = { value, scale, precision: undefined };
  return Buffer.concat([...typeByName[type]!.generateParameterData(parameter, PARSER_OPTIONS)]);
}
