import t from 'tap';
import type { ColumnMeta } from '../../../connectors/sql/dialect.js';
import { columnMeta, normalisePostgresValue, postgresCursorParam, typeNameFromCatalog, zonedToIso } from '../../../connectors/postgres/postgres-types.js';
import { parsePostgresArray } from '../../../connectors/postgres/postgres-array.js';
import { exactTimestamp } from '../../../connectors/sql/time.js';

const SHANGHAI = 'Asia/Shanghai';
const norm = (type: string, text: string | null, extra: Partial<ColumnMeta> = {}, timeZone = SHANGHAI) =>
  normalisePostgresValue(text, { column: { name: 'c', type, ...extra }, timeZone });

t.test('the normalisation table: PostgreSQL text → contract value', async (t) => {
  const table: [string, string | null, unknown, Partial<ColumnMeta>?][] = [
    ['int4', null, null],
    ['bool', 't', true],
    ['bool', 'f', false],
    ['int2', '-32768', -32768],
    ['int4', '2147483647', 2147483647],
    ['int8', '9007199254740991', 9007199254740991],
    ['int8', '9007199254740993', '9007199254740993'],
    ['int8', '-9223372036854775808', '-9223372036854775808'],
    ['numeric', '12.50', '12.50', { scale: 2 }],
    ['numeric', '12345678901234567890.123456789', '12345678901234567890.123456789'],
    ['numeric', '0.1', '0.1'],
    ['numeric', '-0.00', '0.00', { scale: 2 }],
    ['numeric', '1200', '1200', { scale: -2 }],
    ['numeric', 'NaN', null],
    ['numeric', 'Infinity', null],
    ['float8', '0.1', 0.1],
    ['float8', '-Infinity', null],
    ['float4', 'NaN', null],
    ['date', '2026-03-01', '2026-03-01'],
    ['date', 'infinity', null],
    ['date', '-infinity', null],
    ['date', '0044-03-15 BC', '0044-03-15 BC'],
    ['timestamp', '2026-01-01 08:00:00', '2026-01-01T00:00:00.000Z'],
    ['timestamp', '2026-01-01 08:00:00.123', '2026-01-01T00:00:00.123Z'],
    ['timestamp', '2026-01-01 08:00:00.123999', '2026-01-01T00:00:00.123Z'],
    ['timestamp', '2026-01-01 00:00:00.5', '2025-12-31T16:00:00.500Z'],
    ['timestamp', 'infinity', null],
    ['timestamptz', '2026-01-01 00:00:00.123456+00', '2026-01-01T00:00:00.123Z'],
    ['timestamptz', '2026-01-01 08:00:00+08', '2026-01-01T00:00:00.000Z'],
    ['timestamptz', '2026-01-01 05:30:00+05:30', '2026-01-01T00:00:00.000Z'],
    ['timestamptz', '1900-01-01 00:00:00+08:05:43', '1899-12-31T15:54:17.000Z'],
    ['timestamptz', '-infinity', null],
    ['bpchar', 'AB   ', 'AB'],
    ['bpchar', '  AB', '  AB'],
    ['bpchar', '    ', ''],
    ['varchar', 'AB  ', 'AB  '],
    ['text', '行政处罚决定书\n第二行', '行政处罚决定书\n第二行'],
    ['json', '{"a": 1.10}', '{"a": 1.10}'],
    ['jsonb', '{"a": 1.10}', '{"a": 1.10}'],
    ['uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['time', '08:30:00', '08:30:00'],
    ['interval', '1 day 02:00:00', '1 day 02:00:00'],
    ['int4[]', '{1,2,NULL}', '["1","2",null]'],
    ['text[]', '{"a,b","say \\"hi\\"",NULL,"NULL"}', '["a,b","say \\"hi\\"",null,"NULL"]'],
    ['mood', 'happy', 'happy'],
    ['mood[]', '{happy,sad}', '["happy","sad"]'],
  ];
  for (const [type, text, expected, extra] of table) {
    t.same(norm(type, text, extra), expected, `${type} ${JSON.stringify(text)} → ${JSON.stringify(expected)}`);
  }
});

t.test('a naive timestamp is read in the configured zone, not the gateway process zone', async (t) => {
  t.equal(norm('timestamp', '2026-07-01 12:00:00', {}, 'UTC'), '2026-07-01T12:00:00.000Z');
  t.equal(norm('timestamp', '2026-07-01 12:00:00', {}, 'Europe/Berlin'), '2026-07-01T10:00:00.000Z', 'summer time');
  t.equal(norm('timestamp', '2026-01-01 12:00:00', {}, 'Europe/Berlin'), '2026-01-01T11:00:00.000Z');
});

t.test('binary is refused with the column name, arrays of it too', async (t) => {
  t.throws(() => normalisePostgresValue('\\x0102', { column: { name: 'photo', type: 'bytea' }, timeZone: SHANGHAI }), {
    code: 'SOURCE_BINARY_COLUMN',
    message: /"photo"/,
  });
  t.throws(() => norm('bytea[]', '{"\\\\x01"}'), { code: 'SOURCE_BINARY_COLUMN' });
  t.equal(norm('bytea', null), null, 'a NULL has no bytes to refuse');
});

t.test('column metadata from type modifiers: numeric precision and scale, time fractions', async (t) => {
  t.same(columnMeta('amount', 'numeric', ((12 << 16) | 2) + 4), { name: 'amount', type: 'numeric', precision: 12, scale: 2 });
  t.same(columnMeta('amount', 'numeric', -1), { name: 'amount', type: 'numeric', precision: null, scale: null });
  t.same(columnMeta('n', 'numeric', ((5 << 16) | (-2 & 0x7ff)) + 4), { name: 'n', type: 'numeric', precision: 5, scale: -2 });
  t.same(columnMeta('u', 'timestamp', 3), { name: 'u', type: 'timestamp', fractionalDigits: 3 });
  t.same(columnMeta('u', 'timestamptz', -1), { name: 'u', type: 'timestamptz', fractionalDigits: 6 }, 'unspecified precision is 6');
  t.same(columnMeta('u', 'timestamp', 0), { name: 'u', type: 'timestamp', fractionalDigits: 0 });
  t.same(columnMeta('v', 'varchar', 24), { name: 'v', type: 'varchar' });
});

t.test('types the built-in table lacks are named from pg_type, arrays as element[]', async (t) => {
  t.equal(typeNameFromCatalog({ typname: 'mood', typcategory: 'E', elemname: null }), 'mood');
  t.equal(typeNameFromCatalog({ typname: '_mood', typcategory: 'A', elemname: 'mood' }), 'mood[]');
});

t.test('cursor values go back in the column own terms', async (t) => {
  const ctx = (type: string) => ({ column: { name: 'c', type }, timeZone: SHANGHAI });
  t.equal(postgresCursorParam('2026-01-01T00:00:00.123Z', ctx('timestamp')), '2026-01-01 08:00:00.123', 'naive: wall clock in the configured zone');
  t.equal(postgresCursorParam('2026-01-01T00:00:00.123Z', ctx('timestamptz')), '2026-01-01T00:00:00.123Z', 'zoned: the instant as is');
  t.equal(postgresCursorParam('9007199254740993', ctx('int8')), '9007199254740993');
  t.equal(postgresCursorParam('12.50', ctx('numeric')), '12.50');
  t.equal(postgresCursorParam(7, ctx('int4')), 7);
  t.equal(postgresCursorParam(true, ctx('bool')), 'true');
  for (const text of ['2026-01-01 08:00:00.123', '2026-06-30 23:59:59.999']) {
    const iso = norm('timestamp', text) as string;
    t.equal(postgresCursorParam(iso, ctx('timestamp')), text, `${text} round-trips`);
  }
});

t.test('an infinite cursor value read as null stops the read instead of guessing a position', async (t) => {
  t.throws(() => postgresCursorParam(null, { column: { name: 'updated_at', type: 'timestamp' }, timeZone: SHANGHAI }), {
    code: 'SOURCE_QUERY_FAILED',
    message: /"updated_at".*infinity/,
  });
});

t.test('zoned text that is not a timestamp is left for the caller', async (t) => {
  t.equal(zonedToIso('not a time'), null);
  t.equal(norm('timestamptz', '10000-01-01 00:00:00+00'), '10000-01-01 00:00:00+00', 'beyond year 9999 the text is kept');
});

t.test('array literals: nesting, quoting, bounds, empty', async (t) => {
  t.same(parsePostgresArray('{}'), []);
  t.same(parsePostgresArray('{{1,2},{3,4}}'), [['1', '2'], ['3', '4']]);
  t.same(parsePostgresArray('[0:1]={x,y}'), ['x', 'y']);
  t.same(parsePostgresArray('{"back\\\\slash","{brace}"}'), ['back\\slash', '{brace}']);
  t.same(parsePostgresArray('{a b,c}'), ['a b', 'c']);
  t.throws(() => parsePostgresArray('{1,2'));
  t.throws(() => parsePostgresArray('1,2'));
});

t.test('cursors bind the exact value: the row\'s own text, or the exact position with its microseconds after a restart', async (t) => {
  const naive: ColumnMeta = { name: 'updated_at', type: 'timestamp', fractionalDigits: 6 };
  const zoned: ColumnMeta = { name: 'updated_at', type: 'timestamptz', fractionalDigits: 6 };
  const value = normalisePostgresValue('2026-03-01 08:30:15.123456', { column: naive, timeZone: 'Asia/Shanghai' });
  t.equal(value, '2026-03-01T00:30:15.123Z', 'the record value keeps milliseconds');
  t.equal(postgresCursorParam(value, { column: naive, timeZone: 'Asia/Shanghai', raw: '2026-03-01 08:30:15.123456' }), '2026-03-01 08:30:15.123456', 'the row\'s own text goes back as it came');
  const position = exactTimestamp(value, '2026-03-01 08:30:15.123456') as string;
  t.equal(position, '2026-03-01T00:30:15.123456Z');
  t.equal(postgresCursorParam(position, { column: naive, timeZone: 'Asia/Shanghai' }), '2026-03-01 08:30:15.123456', 'without the row: the wall clock to the microsecond');
  t.equal(postgresCursorParam(position, { column: zoned, timeZone: 'Asia/Shanghai' }), '2026-03-01T00:30:15.123456Z', 'an instant, to the microsecond');
});
