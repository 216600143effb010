import t from 'tap';
import { createRequire } from 'node:module';
import { isMssqlParam, mssqlCursorParam, mssqlParam, normaliseMssqlValue, type MssqlParam } from '../../../connectors/mssql/mssql-types.js';
import type { ColumnMeta } from '../../../connectors/sql/dialect.js';
import { exactTimestamp } from '../../../connectors/sql/time.js';
import * as wire from './tds.js';

const require = createRequire(import.meta.url);
const iconv = require('iconv-lite') as { encode(text: string, encoding: string): Buffer };

const ZONE = 'Asia/Shanghai';

function read(w: wire.Wire, timeZone = ZONE): unknown {
  const { value, column } = wire.fromWire(w);
  return normaliseMssqlValue(value, { column, timeZone });
}

function columnOf(w: wire.Wire, name = 'c'): ColumnMeta {
  return wire.fromWire(w, name).column;
}

t.test('DECIMAL and NUMERIC are exact text with the column\'s scale, although tedious hands over a double', async (t) => {
  t.equal(read(wire.decimal(12, 2, 1250n)), '12.50');
  t.equal(read(wire.decimal(12, 2, -50n)), '-0.50');
  t.equal(read(wire.decimal(12, 2, 0n)), '0.00');
  t.equal(read(wire.decimal(10, 0, 42n, 'Numeric')), '42');
  t.equal(read(wire.decimal(18, 2, 12_345_678_901_234n)), '123456789012.34', '14 digits: a JavaScript number would print 123456789012.34 only by luck');
  t.equal(read(wire.decimal(38, 10, 1n)), '0.0000000001', 'a 17-byte value on the wire');
  t.equal(read(wire.decimal(18, 4, 999_999_999_999_999n)), '99999999999.9999', '15 significant digits, the most any value is promised');
  const { value } = wire.fromWire(wire.decimal(18, 2, 1250n));
  t.equal(typeof value, 'number', 'what tedious itself gives is a number: the exactness is ours');
});

t.test('every DECIMAL value below 2^51 units of its scale comes back digit for digit', async (t) => {
  // Spread over the magnitudes and scales that matter, plus the edges of the proof.
  const samples: bigint[] = [1n, 3n, 7n, 10n, 99n, 101n, 123_456n, 2n ** 31n - 1n, 2n ** 32n + 1n, 10n ** 15n - 1n, 2n ** 51n - 1n];
  let seed = 12345;
  for (let i = 0; i < 400; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    samples.push(BigInt(seed) * BigInt((seed % 1000) + 1) % 2n ** 51n);
  }
  let checked = 0;
  for (const scale of [0, 1, 2, 4, 6, 10, 15, 20]) {
    for (const n of samples) {
      for (const sign of [1n, -1n]) {
        const unscaled = sign * n;
        const expected = formatScaled(unscaled, scale);
        const got = read(wire.decimal(38, scale, unscaled));
        if (got !== expected) t.fail(`${unscaled} at scale ${scale}: ${String(got)} ≠ ${expected}`);
        checked += 1;
      }
    }
  }
  t.pass(`${checked} values exact`);
});

t.test('a DECIMAL value beyond 15 significant digits is refused with the way out, never sent rounded', async (t) => {
  t.throws(() => read(wire.decimal(38, 2, 12_345_678_901_234_567_89n)), { code: 'SOURCE_QUERY_FAILED', message: /CAST\(\[c\] AS VARCHAR\(50\)\)/ });
  t.throws(() => read(wire.decimal(38, 0, 2n ** 53n + 1n)), { code: 'SOURCE_QUERY_FAILED' });
  t.throws(() => read(wire.decimal(38, 30, 1n)), { code: 'SOURCE_QUERY_FAILED' }, 'scales beyond 10^22 are not exact powers of ten in a double');
});

t.test('a decimal the page read as text (CONVERT in the select list) is spelled like every other database spells it', async (t) => {
  const column: ColumnMeta = { name: 'amt', type: 'DECIMAL', precision: 18, scale: 2 };
  t.equal(normaliseMssqlValue(' 12.5 ', { column, timeZone: ZONE }), '12.50');
  const wide: ColumnMeta = { name: 'amount', type: 'DECIMAL', precision: 20, scale: 4 };
  t.equal(normaliseMssqlValue('12345678901234.5678', { column: wide, timeZone: ZONE }), '12345678901234.5678', '18 digits, as CONVERT(VARCHAR(48), …) prints them');
  t.equal(normaliseMssqlValue('-0.5000', { column: wide, timeZone: ZONE }), '-0.5000');
  t.equal(normaliseMssqlValue('12.5000', { column: { name: 'fee', type: 'MONEY', precision: 19, scale: 4 }, timeZone: ZONE }), '12.5000', 'MONEY in style 2');
  t.equal(normaliseMssqlValue('.5', { column, timeZone: ZONE }), '0.50');
  t.throws(() => normaliseMssqlValue('abc', { column, timeZone: ZONE }), { code: 'SOURCE_QUERY_FAILED' });
});

t.test('MONEY and SMALLMONEY are exact text with four decimals', async (t) => {
  t.equal(read(wire.money(125_000n)), '12.5000');
  t.equal(read(wire.money(-2_900n)), '-0.2900');
  t.equal(read(wire.money(922_337_203_685n * 10_000n / 1000n)), '922337203.6850');
  t.equal(read(wire.smallMoney(-2_147_483_648)), '-214748.3648');
  t.throws(() => read(wire.money(2n ** 62n)), { code: 'SOURCE_QUERY_FAILED' }, 'beyond what a double keeps');
});

t.test('BIGINT: a number while exact, the digits beyond 2^53; INT, BIT, FLOAT as they are', async (t) => {
  t.equal(read(wire.bigint(42n)), 42);
  t.equal(read(wire.bigint(-9_007_199_254_740_991n)), -9_007_199_254_740_991);
  t.equal(read(wire.bigint(9_007_199_254_740_993n)), '9007199254740993');
  t.equal(read(wire.bigint(-(2n ** 63n))), '-9223372036854775808');
  t.equal(read(wire.int(-7)), -7);
  t.equal(read(wire.bit(true)), true);
  t.equal(read(wire.bit(false)), false);
  t.equal(read(wire.float(0.1)), 0.1);
});

t.test('REAL is the shortest decimal of the single-precision value, not the widened double', async (t) => {
  t.equal(read(wire.real(0.1)), 0.1);
  t.equal(read(wire.real(3.14159)), 3.14159);
  t.equal(read(wire.real(16777217)), 16777216, 'what a REAL can hold of it');
});

t.test('DATE is YYYY-MM-DD, whatever the zone and the gateway process\'s own zone', async (t) => {
  t.equal(read(wire.date({ year: 2026, month: 3, day: 1 })), '2026-03-01');
  t.equal(read(wire.date({ year: 1, month: 1, day: 1 })), '0001-01-01');
  t.equal(read(wire.date({ year: 9999, month: 12, day: 31 }), 'America/Los_Angeles'), '9999-12-31');
});

t.test('DATETIME2, DATETIME and SMALLDATETIME are wall-clock times in the configured zone → ISO UTC, truncated to milliseconds', async (t) => {
  t.equal(read(wire.datetime2({ year: 2026, month: 3, day: 1, hour: 8, minute: 30, second: 15, fraction: '1239999' })), '2026-03-01T00:30:15.123Z');
  t.equal(read(wire.datetime2({ year: 2026, month: 1, day: 1, hour: 0 }, 0)), '2025-12-31T16:00:00.000Z', 'midnight in China is the previous day in UTC');
  t.equal(read(wire.datetime2({ year: 2026, month: 7, day: 1, hour: 12 }, 3), 'Europe/Berlin'), '2026-07-01T10:00:00.000Z', 'summer time is the zone\'s, not a fixed offset');
  t.equal(read(wire.datetime({ year: 2026, month: 3, day: 1, hour: 8 }, 1)), '2026-03-01T00:00:00.003Z', 'DATETIME ticks are 1/300 s');
  t.equal(read(wire.datetime({ year: 1900, month: 1, day: 1 }, 299), 'UTC'), '1900-01-01T00:00:00.997Z');
  t.equal(read(wire.smalldatetime({ year: 2026, month: 3, day: 1, hour: 23, minute: 59 })), '2026-03-01T15:59:00.000Z');
});

t.test('DATETIMEOFFSET is an instant: its offset never moves it', async (t) => {
  t.equal(read(wire.datetimeoffset({ year: 2026, month: 3, day: 1, hour: 0, minute: 30, fraction: '1234567' }, 480)), '2026-03-01T00:30:00.123Z');
  t.equal(read(wire.datetimeoffset({ year: 2026, month: 3, day: 1, hour: 0, minute: 30 }, -300), 'America/New_York'), '2026-03-01T00:30:00.000Z', 'the configured zone does not apply');
});

t.test('TIME is the time of day, with milliseconds when the column keeps fractions', async (t) => {
  t.equal(read(wire.time(8, 30, 0, '1234567')), '08:30:00.123');
  t.equal(read(wire.time(23, 59, 59, '', 0)), '23:59:59');
});

t.test('CHAR and NCHAR lose their pad spaces; VARCHAR in the collation\'s code page and NVARCHAR are read whole', async (t) => {
  t.equal(read(wire.nvarchar('91420200MA4KXX0000  ', 'NChar')), '91420200MA4KXX0000');
  t.equal(read(wire.varchar(iconv.encode('行政处罚   ', 'cp936'), 'Char')), '行政处罚');
  t.equal(read(wire.varchar(iconv.encode('行政处罚 ', 'cp936'))), '行政处罚 ', 'VARCHAR keeps a trailing space the user stored');
  t.equal(read(wire.nvarchar('  黄石市人社局  ')), '  黄石市人社局  ');
  const long = '处'.repeat(3000);
  t.equal(read(wire.nvarchar(long)), long);
});

t.test('UNIQUEIDENTIFIER is its upper-case text', async (t) => {
  const bytes = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
  t.equal(read(wire.uniqueidentifier(bytes)), '00112233-4455-6677-8899-AABBCCDDEEFF');
});

t.test('binary columns are refused with the column name, whatever their value', async (t) => {
  const { value, column } = wire.fromWire(wire.varbinary(Buffer.from([1, 2, 3])), 'photo');
  t.throws(() => normaliseMssqlValue(value, { column, timeZone: ZONE }), { code: 'SOURCE_BINARY_COLUMN', message: /"photo" \(VARBINARY\)/ });
  t.throws(() => normaliseMssqlValue(Buffer.alloc(0), { column: { name: 'v', type: 'SQL_VARIANT' }, timeZone: ZONE }), { code: 'SOURCE_BINARY_COLUMN' });
  for (const type of ['IMAGE', 'BINARY', 'GEOGRAPHY', 'HIERARCHYID']) {
    t.throws(() => normaliseMssqlValue({ points: [] }, { column: { name: 'g', type }, timeZone: ZONE }), { code: 'SOURCE_BINARY_COLUMN' }, type);
  }
});

t.test('NULL is null for every type', async (t) => {
  for (const type of ['DECIMAL', 'DATETIME2', 'NVARCHAR', 'VARBINARY', 'BIGINT']) {
    t.equal(normaliseMssqlValue(null, { column: { name: 'c', type }, timeZone: ZONE }), null, type);
  }
});

t.test('column metadata: upper-case type names, precision and scale of exact numerics, fractional digits of times', async (t) => {
  t.same(columnOf(wire.decimal(18, 2, 0n), 'amt'), { name: 'amt', type: 'DECIMAL', precision: 18, scale: 2 });
  t.same(columnOf(wire.money(0n)), { name: 'c', type: 'MONEY', precision: 19, scale: 4 });
  t.same(columnOf(wire.datetime2({ year: 2026, month: 1, day: 1 }, 3)), { name: 'c', type: 'DATETIME2', fractionalDigits: 3 });
  t.same(columnOf(wire.datetime({ year: 2026, month: 1, day: 1 }, 0)), { name: 'c', type: 'DATETIME', fractionalDigits: 3 });
  t.same(columnOf(wire.smalldatetime({ year: 2026, month: 1, day: 1 })), { name: 'c', type: 'SMALLDATETIME', fractionalDigits: 0 });
  t.same(columnOf(wire.nvarchar('x')), { name: 'c', type: 'NVARCHAR' });
});

function param(value: unknown, w: wire.Wire, timeZone = ZONE): MssqlParam {
  const p = mssqlCursorParam(value as never, { column: columnOf(w), timeZone });
  t.ok(isMssqlParam(p));
  return p;
}

t.test('cursor values go back in the column\'s own type: the wall-clock time of a naive column, as tedious writes it', async (t) => {
  const dt2 = param('2026-03-01T00:30:15.123Z', wire.datetime2({ year: 2026, month: 1, day: 1 }, 7));
  t.equal(dt2.type, 'DateTime2');
  t.equal(dt2.scale, 7);
  t.equal((dt2.value as Date).toISOString(), '2026-03-01T08:30:15.123Z', 'the UTC fields hold 08:30:15.123, the wall clock in China');
  const dt = param('2026-03-01T00:00:00.003Z', wire.datetime({ year: 2026, month: 1, day: 1 }, 0));
  t.equal(dt.type, 'DateTime', 'a DATETIME cursor is bound as DATETIME: as DATETIME2 the row would compare greater than itself');
  t.equal((dt.value as Date).toISOString(), '2026-03-01T08:00:00.003Z');
  t.equal(param('2026-03-01T15:59:00.000Z', wire.smalldatetime({ year: 2026, month: 1, day: 1 })).type, 'SmallDateTime');
  const dto = param('2026-03-01T00:30:00.123Z', wire.datetimeoffset({ year: 2026, month: 1, day: 1 }, 480, 3));
  t.same([dto.type, dto.scale, (dto.value as Date).toISOString()], ['DateTimeOffset', 3, '2026-03-01T00:30:00.123Z'], 'an instant stays the instant');
  const day = param('2026-03-01', wire.date({ year: 2026, month: 1, day: 1 }));
  t.same([day.type, (day.value as Date).toISOString()], ['Date', '2026-03-01T00:00:00.000Z']);
});

t.test('the cursor row\'s own DATETIME2 goes back to the server byte for byte, 100 ns digits included', async (t) => {
  for (const scale of [7, 5, 3]) {
    const original = wire.datetime2({ year: 2026, month: 3, day: 1, hour: 8, minute: 30, second: 15, fraction: '1234567' }, scale);
    const { value: raw, column } = wire.fromWire(original);
    const normalised = normaliseMssqlValue(raw, { column, timeZone: ZONE });
    const p = mssqlCursorParam(normalised, { column, timeZone: ZONE, raw });
    t.same([p.type, p.scale], ['DateTime2', scale]);
    t.same(wire.parameterBytes('DateTime2', p.value, p.scale), original.bytes.subarray(1), `scale ${scale}`);
  }
  const offset = wire.datetimeoffset({ year: 2026, month: 3, day: 1, hour: 0, minute: 30, fraction: '1234567' }, 0);
  const { value: raw, column } = wire.fromWire(offset);
  const p = mssqlCursorParam(normaliseMssqlValue(raw, { column, timeZone: ZONE }), { column, timeZone: ZONE, raw });
  t.same(wire.parameterBytes('DateTimeOffset', p.value, p.scale).subarray(0, 8), offset.bytes.subarray(1, 9), 'DATETIMEOFFSET: the same instant to 100 ns');
});

t.test('without the cursor row (after a restart) a DATETIME cursor still goes back to the very tick it was read from', async (t) => {
  for (const ticks of [0, 1, 2, 150, 299]) {
    const original = wire.datetime({ year: 2026, month: 3, day: 1, hour: 23, minute: 59, second: 59 }, ticks);
    const { value, column } = wire.fromWire(original);
    const p = mssqlCursorParam(normaliseMssqlValue(value, { column, timeZone: ZONE }), { column, timeZone: ZONE });
    t.same(wire.parameterBytes('DateTime', p.value), original.bytes.subarray(1), `${ticks}/300 s`);
  }
});

t.test('a normalised timestamp bound back and read again is the same value (the round trip paging relies on)', async (t) => {
  for (const [zone, iso] of [
    ['Asia/Shanghai', '2026-03-01T00:30:15.123Z'],
    ['Europe/Berlin', '2026-03-29T00:59:59.999Z'],
    ['Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['UTC', '0001-01-01T00:00:00.000Z'],
  ] as const) {
    const p = param(iso, wire.datetime2({ year: 2026, month: 1, day: 1 }, 7), zone);
    const d = p.value as Date;
    const back = wire.datetime2(
      { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), fraction: String(d.getUTCMilliseconds()).padStart(3, '0') },
      7,
    );
    t.equal(read(back, zone), iso, `${iso} in ${zone}`);
  }
});

t.test('exact numerics go back as their text, CAST to the column\'s type in SQL (tedious writes Decimal from a double, Money truncated)', async (t) => {
  t.same(param('12.50', wire.decimal(18, 2, 0n)), mssqlParam('VarChar', '12.50', { cast: 'DECIMAL(18,2)' }));
  t.same(param('12345678901234.5678', wire.decimal(20, 4, 0n, 'Numeric')), mssqlParam('VarChar', '12345678901234.5678', { cast: 'NUMERIC(20,4)' }));
  t.same(param('-0.2900', wire.money(0n)), mssqlParam('VarChar', '-0.2900', { cast: 'MONEY' }));
  t.same(param('9007199254740993', wire.bigint(0n)), mssqlParam('BigInt', '9007199254740993'), 'BIGINT as its digits: tedious reads them with BigInt()');
  t.same(param(7, wire.bigint(0n)), mssqlParam('BigInt', '7'));
  t.same(param(7, wire.int(0)), mssqlParam('Int', 7));
  t.same(param(true, wire.bit(false)), mssqlParam('Bit', true));
});

t.test('text cursors go back as the column\'s kind of text, so SQL Server never converts the column', async (t) => {
  t.same(param('行政处罚', wire.varchar(Buffer.alloc(0))), mssqlParam('VarChar', '行政处罚'));
  t.same(param('行政处罚', wire.varchar(Buffer.alloc(0), 'Char')), mssqlParam('VarChar', '行政处罚'));
  t.same(param('行政处罚', wire.nvarchar('')), mssqlParam('NVarChar', '行政处罚'));
  t.same(param('00112233-4455-6677-8899-AABBCCDDEEFF', wire.uniqueidentifier(Buffer.alloc(16))), mssqlParam('UniqueIdentifier', '00112233-4455-6677-8899-AABBCCDDEEFF'));
});

t.test('a cursor value that cannot be the column\'s is refused, not bound wrongly', async (t) => {
  t.throws(() => param('yesterday', wire.datetime2({ year: 2026, month: 1, day: 1 })), { code: 'SOURCE_QUERY_FAILED' });
  t.throws(() => param('abc', wire.decimal(10, 2, 0n)), { code: 'SOURCE_QUERY_FAILED' });
});

function formatScaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

t.test('after a restart, the exact cursor position (100 ns digits) goes back byte for byte: DATETIME2(7) and DATETIMEOFFSET', async (t) => {
  const original = wire.datetime2({ year: 2026, month: 3, day: 1, hour: 8, minute: 30, second: 15, fraction: '1234567' }, 7);
  const { value: raw, column } = wire.fromWire(original);
  const exact = exactTimestamp(normaliseMssqlValue(raw, { column, timeZone: ZONE }), raw) as string;
  t.equal(exact, '2026-03-01T00:30:15.1234567Z', 'the position keeps the 100 ns digits the row value drops');
  const p = mssqlCursorParam(exact, { column, timeZone: ZONE });
  t.same(wire.parameterBytes('DateTime2', p.value, p.scale), original.bytes.subarray(1), 'bound without the row: the same bytes');
  const offset = wire.datetimeoffset({ year: 2026, month: 3, day: 1, hour: 0, minute: 30, fraction: '1234567' }, 0);
  const read = wire.fromWire(offset);
  const position = exactTimestamp(normaliseMssqlValue(read.value, { column: read.column, timeZone: ZONE }), read.value) as string;
  const q = mssqlCursorParam(position, { column: read.column, timeZone: ZONE });
  t.same(wire.parameterBytes('DateTimeOffset', q.value, q.scale).subarray(0, 8), offset.bytes.subarray(1, 9), 'DATETIMEOFFSET: the same instant to 100 ns');
});
