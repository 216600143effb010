import t from 'tap';
import { normaliseSqliteValue, sqliteColumnMeta, sqliteCursorParam } from '../../../connectors/sqlite/sqlite-types.js';
import type { Value } from '../../../connectors/contract.js';

const read = (declared: string | null, value: unknown, timeZone = 'Asia/Shanghai'): Value =>
  normaliseSqliteValue(value, { column: sqliteColumnMeta('c', declared), timeZone });
const bind = (declared: string, value: Value, raw?: unknown): unknown =>
  sqliteCursorParam(value, { column: sqliteColumnMeta('c', declared), timeZone: 'Asia/Shanghai', ...(raw !== undefined ? { raw } : {}) });

t.test('the declared type gives precision, scale and fractional digits', async (t) => {
  t.same(sqliteColumnMeta('a', 'DECIMAL(20,4)'), { name: 'a', type: 'DECIMAL(20,4)', precision: 20, scale: 4 });
  t.same(sqliteColumnMeta('s', 'TIMESTAMP(3)'), { name: 's', type: 'TIMESTAMP(3)', fractionalDigits: 3 });
  t.same(sqliteColumnMeta('s', 'DATETIME'), { name: 's', type: 'DATETIME', fractionalDigits: null });
  t.same(sqliteColumnMeta('x', null), { name: 'x', type: '' }, 'an expression has no declared type');
});

t.test('timestamps: naive text in the configured zone, text with a zone as the instant it names', async (t) => {
  t.equal(read('DATETIME', '2017-06-02 08:30:00.123'), '2017-06-02T00:30:00.123Z');
  t.equal(read('TIMESTAMP', '2017-06-02 08:30'), '2017-06-02T00:30:00.000Z');
  t.equal(read('DATETIME', '2017-06-02T00:30:00.123Z'), '2017-06-02T00:30:00.123Z');
  t.equal(read('DATETIME', '2017-06-02 08:30:00+08:00'), '2017-06-02T00:30:00.000Z');
  t.equal(read('DATETIME', '2017-06-02 08:30:00.123456'), '2017-06-02T00:30:00.123Z', 'microseconds truncated');
  t.equal(read('DATETIME', 'n/a'), 'n/a', 'what is not a time is left for validation to see, not invented');
  t.equal(read('TEXT', '2017-06-02 08:30:00'), '2017-06-02 08:30:00', 'a TEXT column is text');
});

t.test('dates, decimals, booleans, padded CHAR, integers, binary', async (t) => {
  t.equal(read('DATE', '2017-06-02'), '2017-06-02');
  t.equal(read('DATE', '2017-06-02 00:00:00'), '2017-06-02');
  t.equal(read('DATE', '2017-06-02 10:00:00'), '2017-06-02 10:00:00', 'a time of day is not dropped silently');
  t.equal(read('DECIMAL(10,2)', 12.5), '12.50');
  t.equal(read('NUMERIC(10,2)', 3n), '3.00');
  t.equal(read('DECIMAL(20,4)', '12345678901234.5678'), '12345678901234.5678');
  t.equal(read('BOOLEAN', 1n), true);
  t.equal(read('BOOL', 0), false);
  t.equal(read('BOOLEAN', 'true'), true);
  t.equal(read('CHAR(10)', 'AB        '), 'AB');
  t.equal(read('VARCHAR(10)', 'AB  '), 'AB  ', 'VARCHAR keeps its spaces');
  t.equal(read('INTEGER', 9007199254740993n), '9007199254740993');
  t.equal(read('INTEGER', 42n), 42);
  t.equal(read(null, null), null);
  t.throws(() => read('BLOB', Buffer.from([1])), { code: 'SOURCE_BINARY_COLUMN', message: /"c"/ });
});

t.test('cursors bind back as SQLite compares them', async (t) => {
  t.equal(bind('TIMESTAMP(3)', '2017-06-02T00:30:00.100Z'), '2017-06-02 08:30:00.100', 'as many digits as the type declares');
  t.equal(bind('TIMESTAMP(0)', '2017-06-02T00:30:00.000Z'), '2017-06-02 08:30:00');
  t.equal(bind('TIMESTAMP(6)', '2017-06-02T00:30:00.123Z'), '2017-06-02 08:30:00.123000', 'finer columns: at or below the row, never above');
  t.equal(bind('DATETIME', '2017-06-02T00:30:00.100Z'), '2017-06-02 08:30:00.1', 'unknown digits: the shortest spelling, which sorts first');
  t.equal(bind('DATETIME', '2017-06-02T00:30:00.000Z'), '2017-06-02 08:30:00');
  t.equal(bind('DATETIME', '2017-06-02T00:30:00.000Z', '2017-06-02T08:30:00'), '2017-06-02T08:30:00', 'the stored value itself when known');
  t.equal(bind('BOOLEAN', true), 1);
  t.equal(bind('INTEGER', '9007199254740993'), 9007199254740993n);
  t.equal(bind('TEXT', 'abc'), 'abc');
});
