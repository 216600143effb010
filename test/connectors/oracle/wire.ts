/**
 * Oracle values as they cross the wire, decoded by node-oracledb's own thin
 * mode code (the functions its result rows go through), so the values the
 * tests normalise are what a live server would give the gateway: NUMBER as
 * the text oracledb builds from the base-100 digits (fetched as a string),
 * DATE and TIMESTAMP as Dates built in the process's local zone, zoned
 * timestamps as instants.
 */
import { createRequire } from 'node:module';
import { oracleColumnMeta, type OracleMetaData } from '../../../connectors/oracle/oracle-types.js';
import type { ColumnMeta } from '../../../connectors/sql/dialect.js';

const require = createRequire(import.meta.url);
interface ThinBuffer {
  buf: Buffer;
  pos: number;
  parseOracleNumber(buf: Buffer): string;
  parseOracleDate(buf: Buffer, useLocalTime?: boolean, useDbTz?: boolean): Date;
  writeOracleNumber(value: string, writeLength?: boolean): void;
}
const { BaseBuffer, GrowableBuffer } = require('oracledb/lib/impl/datahandlers/buffer.js') as {
  BaseBuffer: new (initializer: Buffer | number) => ThinBuffer;
  GrowableBuffer: new () => ThinBuffer;
};

const reader = new BaseBuffer(0);

/** NUMBER as oracledb's thin mode encodes a bind and decodes a fetched column (fetchType STRING: no parseFloat). */
export function number(text: string): string {
  const writer = new GrowableBuffer();
  writer.writeOracleNumber(text, false);
  return reader.parseOracleNumber(writer.buf.subarray(0, writer.pos));
}

export interface Fields {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Nanoseconds, as TIMESTAMP stores them. */
  nanos?: number;
}

function dateBytes(f: Fields): number[] {
  return [Math.trunc(f.year / 100) + 100, (f.year % 100) + 100, f.month, f.day, (f.hour ?? 0) + 1, (f.minute ?? 0) + 1, (f.second ?? 0) + 1];
}

function nanosBytes(nanos: number): number[] {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(nanos);
  return [...b];
}

/** DATE (7 bytes) as oracledb's thin mode reads it: a Date whose local fields are the stored ones. */
export function date(f: Fields): Date {
  return reader.parseOracleDate(Buffer.from(dateBytes(f)), true);
}

/** TIMESTAMP (11 bytes). */
export function timestamp(f: Fields): Date {
  return reader.parseOracleDate(Buffer.from([...dateBytes(f), ...nanosBytes(f.nanos ?? 0)]), true);
}

/** TIMESTAMP WITH TIME ZONE (13 bytes): the fields are UTC, the zone bytes only say how it was written. */
export function timestampTz(utc: Fields, offsetHours: number): Date {
  return reader.parseOracleDate(Buffer.from([...dateBytes(utc), ...nanosBytes(utc.nanos ?? 0), offsetHours + 20, 60]), false);
}

/** A result column as node-oracledb's metaData describes it. */
export function column(meta: OracleMetaData): ColumnMeta {
  return oracleColumnMeta(meta);
}
