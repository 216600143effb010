import t from 'tap';
import { createOracleDialect, oracleSessionSql, quoteOracleIdentifier } from '../../../connectors/oracle/oracle-dialect.js';
import { oracleCursorParam, type OracleParam } from '../../../connectors/oracle/oracle-types.js';
import type { ColumnMeta } from '../../../connectors/sql/dialect.js';

const thin = createOracleDialect('fetch-first');
const thick = createOracleDialect('rownum');
const ZONE = 'Asia/Shanghai';

function cursor(value: string | number, column: ColumnMeta): OracleParam {
  return oracleCursorParam(value, { column, timeZone: ZONE });
}

t.test('identifiers: a lower-case simple name means Oracle\'s folded upper-case name; anything else is quoted as written', async (t) => {
  t.equal(quoteOracleIdentifier('updated_at'), '"UPDATED_AT"');
  t.equal(quoteOracleIdentifier('UPDATED_AT'), '"UPDATED_AT"');
  t.equal(quoteOracleIdentifier('UpdatedAt'), '"UpdatedAt"', 'a name created in quotes keeps its case');
  t.equal(quoteOracleIdentifier('id$1#'), '"ID$1#"');
  t.equal(quoteOracleIdentifier('处罚日期'), '"处罚日期"');
  t.equal(quoteOracleIdentifier('a"b'), '"a""b"', 'not a simple name: kept, inner quote doubled');
  t.equal(quoteOracleIdentifier('with space'), '"with space"');
  t.throws(() => quoteOracleIdentifier('a\0b'), 'a NUL would end the statement text');
});

t.test('placeholders are :1, :2 …', async (t) => {
  t.equal(thin.placeholder(1), ':1');
  t.equal(thin.placeholder(12), ':12');
});

t.test('thin mode (12.1+): FETCH FIRST :n ROWS ONLY after the keyset ORDER BY; no AS before the alias', async (t) => {
  const page = thin.pageSql({ query: 'SELECT * FROM t_xzcf; -- all penalties', cursorColumns: ['updated_at', 'id'], after: null, limit: 500 });
  t.equal(page.sql, 'SELECT * FROM (\nSELECT * FROM t_xzcf\n) q WHERE "UPDATED_AT" IS NOT NULL AND "ID" IS NOT NULL ORDER BY q."UPDATED_AT", q."ID" FETCH FIRST :1 ROWS ONLY');
  t.same(page.params, [500]);
});

t.test('thick mode (what 11g needs): the ordered page inside ROWNUM <= :n', async (t) => {
  const page = thick.pageSql({ query: 'SELECT * FROM t_xzcf', cursorColumns: ['id'], after: [cursor(7, { name: 'id', type: 'NUMBER', precision: 10, scale: 0 })], limit: 100 });
  t.equal(page.sql, 'SELECT * FROM (SELECT * FROM (\nSELECT * FROM t_xzcf\n) q WHERE "ID" IS NOT NULL AND (("ID" > :1)) ORDER BY "ID") WHERE ROWNUM <= :2');
  t.same(page.params, [{ oracleParam: true, value: 7 }, 100]);
  t.notMatch(page.sql, /OFFSET|FETCH/);
});

t.test('later pages: each cursor value is converted in SQL with a fixed format, never the session\'s NLS settings', async (t) => {
  const at = cursor('2026-03-01T00:30:15.123Z', { name: 'updated_at', type: 'TIMESTAMP', fractionalDigits: 6 });
  const id = cursor('12.50', { name: 'id', type: 'NUMBER', precision: 10, scale: 2 });
  const page = thin.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at', 'id'], after: [at, id], through: at, limit: 10 });
  t.equal(
    page.sql,
    'SELECT * FROM (\nSELECT * FROM t\n) q WHERE "UPDATED_AT" IS NOT NULL AND "ID" IS NOT NULL AND ' +
      `(("UPDATED_AT" > TO_TIMESTAMP(:1, 'YYYY-MM-DD HH24:MI:SS.FF9')) OR ("UPDATED_AT" = TO_TIMESTAMP(:2, 'YYYY-MM-DD HH24:MI:SS.FF9') AND "ID" > TO_NUMBER(:3))) ` +
      `AND "UPDATED_AT" <= TO_TIMESTAMP(:4, 'YYYY-MM-DD HH24:MI:SS.FF9') ORDER BY q."UPDATED_AT", q."ID" FETCH FIRST :5 ROWS ONLY`,
  );
  t.same(page.params, [at, at, id, at, 10]);
  t.equal(at.value, '2026-03-01 08:30:15.123', 'the wall-clock time in the configured zone');
});

t.test('a count covers what the pages of the same window return, each value converted the same way', async (t) => {
  const at = cursor('2026-03-01T00:30:15.123Z', { name: 'updated_at', type: 'TIMESTAMP', fractionalDigits: 6 });
  const request = { query: 'SELECT * FROM t', cursorColumns: ['updated_at'], after: [at], through: at };
  const count = thin.countSql(request);
  t.equal(
    count.sql,
    'SELECT COUNT(*) AS n FROM (\nSELECT * FROM t\n) q WHERE "UPDATED_AT" IS NOT NULL AND ' +
      `(("UPDATED_AT" > TO_TIMESTAMP(:1, 'YYYY-MM-DD HH24:MI:SS.FF9'))) AND "UPDATED_AT" <= TO_TIMESTAMP(:2, 'YYYY-MM-DD HH24:MI:SS.FF9')`,
  );
  t.same(count.params, [at, at]);
});

t.test('a DATE cursor is compared as a DATE (a TIMESTAMP bind would convert the column and lose its index); zoned columns as an instant', async (t) => {
  const day = cursor('2026-03-01T00:30:15.000Z', { name: 'jdrq', type: 'DATE', fractionalDigits: 0 });
  const page = thin.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['jdrq'], after: [day], limit: 1 });
  t.match(page.sql, /\(\("JDRQ" > TO_DATE\(:1, 'YYYY-MM-DD HH24:MI:SS'\)\)\)/);
  t.equal(day.value, '2026-03-01 08:30:15');
  const zoned = cursor('2026-03-01T00:30:15.123Z', { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE', fractionalDigits: 6 });
  t.same(zoned, { oracleParam: true, value: '2026-03-01 00:30:15.123 +00:00', convert: 'TIMESTAMP_TZ' });
  t.match(thin.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['ts'], after: [zoned], limit: 1 }).sql, /"TS" > TO_TIMESTAMP_TZ\(:1, 'YYYY-MM-DD HH24:MI:SS\.FF9 TZH:TZM'\)/);
});

t.test('composite cursors of three columns chain their ties, each value placed with its own conversion', async (t) => {
  const a = cursor('2026-03-01T00:00:00.000Z', { name: 'a', type: 'DATE' });
  const b = cursor('x', { name: 'b', type: 'VARCHAR2' });
  const c = cursor(3, { name: 'c', type: 'NUMBER', precision: 10, scale: 0 });
  const page = thin.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['a', 'b', 'c'], after: [a, b, c], limit: 10 });
  const date = (n: number) => `TO_DATE(:${n}, 'YYYY-MM-DD HH24:MI:SS')`;
  t.match(page.sql, `(("A" > ${date(1)}) OR ("A" = ${date(2)} AND "B" > :3) OR ("A" = ${date(4)} AND "B" = :5 AND "C" > :6))`);
  t.same(page.params, [a, a, b, a, b, c, 10]);
});

t.test('column metadata comes from a query that returns no row; NULL cursor rows are counted', async (t) => {
  t.same(thin.columnsSql('SELECT a FROM t'), { sql: 'SELECT * FROM (\nSELECT a FROM t\n) q WHERE 1 = 0', params: [] });
  t.same(thin.nullCountSql('SELECT * FROM t', ['updated_at', 'Id']), {
    sql: 'SELECT COUNT(*) AS n FROM (\nSELECT * FROM t\n) q WHERE "UPDATED_AT" IS NULL OR "Id" IS NULL',
    params: [],
  });
});

t.test('the clock is the server\'s UTC time as ISO text, so no Date is built in the gateway\'s own zone', async (t) => {
  t.equal(thin.clockSql(), `SELECT TO_CHAR(SYS_EXTRACT_UTC(SYSTIMESTAMP), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') AS "now" FROM DUAL`);
});

t.test('facts: the version from the public PRODUCT_COMPONENT_VERSION, the server\'s offset, write privileges of every kind', async (t) => {
  const facts = thin.factsSql();
  t.equal(facts.version, `SELECT MAX(product || ' ' || version) AS version FROM product_component_version WHERE UPPER(product) LIKE 'ORACLE%'`);
  t.equal(facts.timeZone, `SELECT TO_CHAR(SYSTIMESTAMP, 'TZR') AS time_zone FROM DUAL`);
  t.match(facts.canWrite, /FROM session_privs WHERE privilege IN \('INSERT ANY TABLE', 'UPDATE ANY TABLE', 'DELETE ANY TABLE'/, 'system privileges');
  t.match(facts.canWrite, /FROM user_tab_privs WHERE grantee = USER AND privilege IN \('INSERT', 'UPDATE', 'DELETE'\)/, 'direct grants');
  t.match(facts.canWrite, /FROM role_tab_privs WHERE privilege IN \('INSERT', 'UPDATE', 'DELETE'\) AND role IN \(SELECT role FROM session_roles\)/, 'grants through enabled roles');
  t.match(facts.canWrite, /EXISTS \(SELECT 1 FROM user_tables\)/, 'its own tables');
  t.match(facts.canWrite, /THEN 1 ELSE 0 END AS can_write FROM DUAL$/);
});

t.test('the session only fixes the decimal point: the read-only transaction is opened per statement by the driver', async (t) => {
  t.same(oracleSessionSql(), ["ALTER SESSION SET NLS_NUMERIC_CHARACTERS = '.,'"]);
  t.same(thin.sessionSql({ queryTimeoutMs: 30_000 }), oracleSessionSql());
  t.notMatch(thin.sessionSql({ queryTimeoutMs: 30_000 }).join('\n'), /SET TRANSACTION/, 'once per connection it would freeze one snapshot for the session\'s life');
});

t.test('an exact cursor position keeps TIMESTAMP(9) digits in the bind: the page starts exactly after its row', async (t) => {
  const at = cursor('2026-03-01T00:30:15.123456789Z', { name: 'updated_at', type: 'TIMESTAMP', fractionalDigits: 9 });
  t.same(at, { oracleParam: true, value: '2026-03-01 08:30:15.123456789', convert: 'TIMESTAMP' });
  const zoned = cursor('2026-03-01T00:30:15.1234567Z', { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE', fractionalDigits: 9 });
  t.same(zoned, { oracleParam: true, value: '2026-03-01 00:30:15.1234567 +00:00', convert: 'TIMESTAMP_TZ' });
  const page = thin.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at'], after: [at], limit: 5 });
  t.match(page.sql, /"UPDATED_AT" > TO_TIMESTAMP\(:1, 'YYYY-MM-DD HH24:MI:SS\.FF9'\)/);
  t.same(page.params, [at, 5]);
});

t.test('open transactions: v$transaction and active non-SELECT statements of other sessions, DATEs moved from the server zone to UTC less 1 s', async (t) => {
  for (const dialect of [thin, thick]) {
    const spec = dialect.openTransactionsSql!();
    t.equal(spec.statements.length, 1);
    const sql = spec.statements[0]!;
    t.match(sql, /SELECT t\.start_date AS started FROM v\$transaction t JOIN v\$session s ON s\.taddr = t\.addr\s+WHERE s\.sid <> TO_NUMBER\(SYS_CONTEXT\('USERENV', 'SID'\)\)/);
    t.match(sql, /SELECT s\.sql_exec_start FROM v\$session s\s+WHERE s\.status = 'ACTIVE' AND s\.type = 'USER' AND s\.command <> 3 AND s\.sid <> TO_NUMBER\(SYS_CONTEXT\('USERENV', 'SID'\)\)/,
      'a statement that has not changed a row yet took its SYSDATE when it started');
    t.match(sql, /SYS_EXTRACT_UTC\(FROM_TZ\(CAST\(MIN\(o\.started\) AS TIMESTAMP\), TO_CHAR\(SYSTIMESTAMP, 'TZH:TZM'\)\)\) - INTERVAL '1' SECOND/);
    t.match(sql, /'YYYY-MM-DD"T"HH24:MI:SS\.FF3"Z"'\) AS "oldest"/, 'ISO UTC text, as the clock');
    t.match(sql, /SYS_CONTEXT\('USERENV', 'DATABASE_ROLE'\) = 'PRIMARY' THEN 0 ELSE 1 END AS "replica"/);
    t.equal(sql.match(/\(/g)?.length, sql.match(/\)/g)?.length, 'parentheses balance');
    t.ok(spec.denied.test('ORA-00942: table or view does not exist'));
  }
});
