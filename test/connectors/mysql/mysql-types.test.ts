import t from 'tap';
import { mysqlColumnMeta, mysqlCursorParam, normaliseMysqlValue, SqlNumber, type MysqlField } from '../../../connectors/mysql/mysql-types.js';
import type { ColumnMeta } from '../../../connectors/sql/dialect.js';

/** Column definitions as MariaDB 10.11 sends them (read off the wire with mysql2). */
const field = (columnType: number, characterSet: number, columnLength: number, decimals = 0, flags = 0, extendedFormat?: string): MysqlField => ({
  name: 'c',
  columnType,
  characterSet,
  columnLength,
  decimals,
  flags,
  ...(extendedFormat ? { extendedFormat } : {}),
});

t.test('column metadata names the SQL type the protocol describes', async (t) => {
  const cases: [string, MysqlField, Omit<ColumnMeta, 'name'>][] = [
    ['BIGINT', field(8, 63, 20), { type: 'BIGINT' }],
    ['BIGINT UNSIGNED', field(8, 63, 20, 0, 32), { type: 'BIGINT UNSIGNED' }],
    ['TINYINT(1), i.e. BOOLEAN', field(1, 63, 1), { type: 'TINYINT', precision: 1 }],
    ['TINYINT(4)', field(1, 63, 4), { type: 'TINYINT', precision: 4 }],
    ['DECIMAL(20,4)', field(246, 63, 22, 4), { type: 'DECIMAL', precision: 20, scale: 4 }],
    ['DECIMAL(30,0)', field(246, 63, 31, 0), { type: 'DECIMAL', precision: 30, scale: 0 }],
    ['DECIMAL(10,2) UNSIGNED', field(246, 63, 11, 2, 32), { type: 'DECIMAL', precision: 10, scale: 2 }],
    ['DATETIME(6)', field(12, 63, 26, 6), { type: 'DATETIME', fractionalDigits: 6 }],
    ['DATETIME', field(12, 63, 19, 0), { type: 'DATETIME', fractionalDigits: 0 }],
    ['TIMESTAMP(3)', field(7, 63, 23, 3), { type: 'TIMESTAMP', fractionalDigits: 3 }],
    ['DATE', field(10, 63, 10), { type: 'DATE' }],
    ['CHAR(5) utf8mb4', field(254, 224, 20), { type: 'CHAR' }],
    ['VARCHAR(10)', field(253, 224, 40), { type: 'VARCHAR' }],
    ['LONGTEXT', field(252, 224, 4294967295, 0, 16), { type: 'TEXT' }],
    ['JSON on MariaDB (a LONGTEXT marked json)', field(252, 224, 4294967295, 0, 144, 'json'), { type: 'JSON' }],
    ['JSON on MySQL 8', field(245, 63, 4294967295, 0, 144), { type: 'JSON' }],
    ['ENUM', field(254, 224, 4, 0, 256), { type: 'ENUM' }],
    ['SET', field(254, 224, 12, 0, 2048), { type: 'SET' }],
    ['BINARY(2)', field(254, 63, 2, 0, 128), { type: 'BINARY' }],
    ['VARBINARY(5)', field(253, 63, 5, 0, 128), { type: 'VARBINARY' }],
    ['BLOB', field(252, 63, 65535, 0, 144), { type: 'BLOB' }],
    ['BIT(3)', field(16, 63, 3, 0, 32), { type: 'BIT', precision: 3 }],
    ['GEOMETRY', field(255, 63, 4294967295, 0, 144), { type: 'GEOMETRY' }],
    ['FLOAT', field(4, 63, 12, 31), { type: 'FLOAT' }],
    ['TIME(2)', field(11, 63, 13, 2), { type: 'TIME', fractionalDigits: 2 }],
    ['NOW(6) in a SELECT', field(12, 63, 26, 6), { type: 'DATETIME', fractionalDigits: 6 }],
  ];
  for (const [what, f, meta] of cases) t.same(mysqlColumnMeta(f), { name: 'c', ...meta }, what);
});

const column = (type: string, extra: Partial<ColumnMeta> = {}): ColumnMeta => ({ name: 'c', type, ...extra });
const read = (value: unknown, meta: ColumnMeta, timeZone = 'Asia/Shanghai') => normaliseMysqlValue(value, { column: meta, timeZone });

t.test('values as mysql2 returns them → the same records every database yields', async (t) => {
  const cases: [string, unknown, ColumnMeta, unknown][] = [
    ['NULL', null, column('VARCHAR'), null],
    ['DECIMAL keeps every digit and its scale', '12345678901234.5600', column('DECIMAL', { precision: 20, scale: 4 }), '12345678901234.5600'],
    ['DECIMAL(30,0) beyond any float', '123456789012345678901234567890', column('DECIMAL', { precision: 30, scale: 0 }), '123456789012345678901234567890'],
    ['DECIMAL ZEROFILL loses its padding, not its scale', '0000012.50', column('DECIMAL', { precision: 10, scale: 2 }), '12.50'],
    ['negative DECIMAL', '-0.10', column('DECIMAL', { precision: 10, scale: 2 }), '-0.10'],
    ['BIGINT within 2^53 is a number', '42', column('BIGINT'), 42],
    ['BIGINT beyond 2^53 stays exact text', '9007199254740993', column('BIGINT'), '9007199254740993'],
    ['BIGINT UNSIGNED at its maximum', '18446744073709551615', column('BIGINT UNSIGNED'), '18446744073709551615'],
    ['BIGINT ZEROFILL', '00000000000000000042', column('BIGINT'), 42],
    ['INT', -5, column('INT'), -5],
    ['TINYINT(1) 1 is true', 1, column('TINYINT', { precision: 1 }), true],
    ['TINYINT(1) 0 is false', 0, column('TINYINT', { precision: 1 }), false],
    ['TINYINT(4) stays a number', 1, column('TINYINT', { precision: 4 }), 1],
    ['BIT(1) is a boolean', Buffer.from([1]), column('BIT', { precision: 1 }), true],
    ['BIT(3) is a number', Buffer.from([5]), column('BIT', { precision: 3 }), 5],
    ['YEAR', 2026, column('YEAR'), 2026],
    ['DOUBLE', 0.1, column('DOUBLE'), 0.1],
    ['DATE', '2026-01-02', column('DATE'), '2026-01-02'],
    ['DATETIME is wall-clock time in the configured zone', '2026-01-02 08:04:05', column('DATETIME', { fractionalDigits: 0 }), '2026-01-02T00:04:05.000Z'],
    ['DATETIME(6) truncated to milliseconds', '2026-01-02 08:04:05.123999', column('DATETIME', { fractionalDigits: 6 }), '2026-01-02T00:04:05.123Z'],
    ['TIMESTAMP arrives in the session zone, UTC', '2026-01-01 19:04:05.999', column('TIMESTAMP', { fractionalDigits: 3 }), '2026-01-01T19:04:05.999Z'],
    ['CHAR loses trailing padding', 'ab   ', column('CHAR'), 'ab'],
    ['VARCHAR keeps trailing spaces: they are data', 'x  ', column('VARCHAR'), 'x  '],
    ['CHAR keeps leading spaces', '  ab', column('CHAR'), '  ab'],
    ['LONGTEXT whole', 'x'.repeat(100_000), column('TEXT'), 'x'.repeat(100_000)],
    ['JSON as its text', '{"a": 1.10}', column('JSON'), '{"a": 1.10}'],
    ['ENUM', 'b', column('ENUM'), 'b'],
    ['SET', 'x,y', column('SET'), 'x,y'],
    ['TIME as the server prints it', '-838:59:59.50', column('TIME', { fractionalDigits: 2 }), '-838:59:59.50'],
    ['Chinese text', '黄石市人力资源和社会保障局', column('VARCHAR'), '黄石市人力资源和社会保障局'],
  ];
  for (const [what, value, meta, expected] of cases) t.same(read(value, meta), expected, what);
});

t.test('DATETIME depends on the configured zone, TIMESTAMP does not', async (t) => {
  t.equal(read('2026-07-01 12:00:00', column('DATETIME'), 'UTC'), '2026-07-01T12:00:00.000Z');
  t.equal(read('2026-07-01 12:00:00', column('DATETIME'), 'Europe/Berlin'), '2026-07-01T10:00:00.000Z', 'summer time');
  t.equal(read('2026-07-01 12:00:00', column('TIMESTAMP'), 'Europe/Berlin'), '2026-07-01T12:00:00.000Z');
});

t.test('zero dates are not dates: they read as null', async (t) => {
  t.equal(read('0000-00-00', column('DATE')), null);
  t.equal(read('2026-00-15', column('DATE')), null, 'zero month');
  t.equal(read('2026-01-00', column('DATE')), null, 'zero day');
  t.equal(read('0000-00-00 00:00:00', column('DATETIME')), null);
  t.equal(read('0000-00-00 00:00:00.000000', column('DATETIME', { fractionalDigits: 6 })), null);
  t.equal(read('0000-00-00 00:00:00', column('TIMESTAMP')), null);
});

t.test('binary is refused with the column named, whatever shape the driver gave it', async (t) => {
  for (const [type, value] of [
    ['BLOB', Buffer.from('bl')],
    ['BINARY', Buffer.from('ab')],
    ['VARBINARY', Buffer.from('abc')],
    ['GEOMETRY', { x: 1, y: 2 }],
    ['VARCHAR', Buffer.from('x')],
  ] as const) {
    t.throws(() => read(value, { name: 'photo', type }), { code: 'SOURCE_BINARY_COLUMN', message: /"photo"/ }, type);
  }
  t.equal(read(null, column('BLOB')), null, 'a NULL blob is just NULL');
});

t.test('cursor values are bound back in the column’s own terms', async (t) => {
  const bind = (value: Parameters<typeof mysqlCursorParam>[0], meta: ColumnMeta, timeZone = 'Asia/Shanghai') => mysqlCursorParam(value, { column: meta, timeZone });
  t.equal(bind('2026-01-02T00:04:05.123Z', column('DATETIME')), '2026-01-02 08:04:05.123', 'DATETIME: wall clock in the configured zone');
  t.equal(bind('2026-01-02T00:04:05.123Z', column('TIMESTAMP')), '2026-01-02 00:04:05.123', 'TIMESTAMP: the session zone, UTC');
  t.equal(bind('2026-01-02', column('DATE')), '2026-01-02');
  t.equal(bind(null, column('DATETIME')), '0000-00-00 00:00:00', 'a zero date is bound back as the zero date');
  t.equal(bind(null, column('DATE')), '0000-00-00');
  t.equal(bind(42, column('BIGINT')), 42);
  const big = bind('9007199254740993', column('BIGINT'));
  t.ok(big instanceof SqlNumber);
  t.equal((big as SqlNumber).toSqlString(), '9007199254740993', 'an exact numeric literal, not a quoted string compared as a double');
  t.equal((bind('12345678901234.5600', column('DECIMAL', { scale: 4 })) as SqlNumber).toSqlString(), '12345678901234.5600');
  t.equal(bind(true, column('TINYINT', { precision: 1 })), 1);
  t.equal(bind('abc', column('VARCHAR')), 'abc');
  t.throws(() => new SqlNumber('1; DROP TABLE t'), 'only digits ever reach the SQL unquoted');
  t.throws(() => bind('yesterday', column('DATETIME')), /not an ISO-8601 UTC timestamp/);
});

t.test("the driver's own text for the last row read is bound as it came: exact to the microsecond", async (t) => {
  const bind = (value: Parameters<typeof mysqlCursorParam>[0], meta: ColumnMeta, raw: unknown) => mysqlCursorParam(value, { column: meta, timeZone: 'Asia/Shanghai', raw });
  t.equal(bind('2026-01-02T00:04:05.123Z', column('DATETIME', { fractionalDigits: 6 }), '2026-01-02 08:04:05.123456'), '2026-01-02 08:04:05.123456');
  t.equal(bind('2026-01-02T00:04:05.123Z', column('TIMESTAMP', { fractionalDigits: 6 }), '2026-01-02 00:04:05.123999'), '2026-01-02 00:04:05.123999');
  t.equal(bind(null, column('DATETIME'), '0000-00-00 00:00:00'), '0000-00-00 00:00:00');
  t.equal((bind(12.5, column('DECIMAL', { scale: 2 }), '0000012.50') as SqlNumber).toSqlString(), '0000012.50', 'a ZEROFILL decimal as the number it is');
  t.equal((bind('9007199254740993', column('BIGINT'), '9007199254740993') as SqlNumber).toSqlString(), '9007199254740993');
  t.equal(bind(true, column('TINYINT', { precision: 1 }), 1), 1);
  t.equal(bind(true, column('BIT', { precision: 1 }), Buffer.from([1])), 1, 'bytes are never bound: the normalised value is');
});
