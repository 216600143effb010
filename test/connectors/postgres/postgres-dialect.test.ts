import t from 'tap';
import { postgresDialect, postgresSessionSql, quotePostgresIdentifier } from '../../../connectors/postgres/postgres-dialect.js';

t.test('identifiers are double-quoted with inner quotes doubled, case kept', async (t) => {
  t.equal(quotePostgresIdentifier('updated_at'), '"updated_at"');
  t.equal(quotePostgresIdentifier('UpdatedAt'), '"UpdatedAt"', 'a mixed-case column is not folded to lower case');
  t.equal(quotePostgresIdentifier('a"b'), '"a""b"');
  t.equal(quotePostgresIdentifier('更新时间'), '"更新时间"');
  t.throws(() => quotePostgresIdentifier('a\0b'), 'a NUL would end the statement text');
});

t.test('placeholders are $1, $2 …', async (t) => {
  t.equal(postgresDialect.placeholder(1), '$1');
  t.equal(postgresDialect.placeholder(12), '$12');
});

t.test('the first page: the job query as a derived table, NULL cursors left out, ordered by the cursor, limited', async (t) => {
  const page = postgresDialect.pageSql({ query: 'SELECT * FROM t_xzcf; -- all penalties', cursorColumns: ['updated_at', 'id'], after: null, limit: 500 });
  t.equal(
    page.sql,
    'SELECT * FROM (\nSELECT * FROM t_xzcf\n) AS q WHERE "updated_at" IS NOT NULL AND "id" IS NOT NULL ORDER BY "updated_at", "id" LIMIT 500',
    'the trailing semicolon and comment stay outside the parentheses',
  );
  t.same(page.params, []);
});

t.test('later pages: the keyset OR-chain after the last row with $n placeholders, never OFFSET', async (t) => {
  const page = postgresDialect.pageSql({
    query: 'SELECT * FROM t_xzcf',
    cursorColumns: ['updated_at', 'id'],
    after: ['2026-01-01 12:00:00.000', 7],
    limit: 100,
  });
  t.equal(
    page.sql,
    'SELECT * FROM (\nSELECT * FROM t_xzcf\n) AS q WHERE "updated_at" IS NOT NULL AND "id" IS NOT NULL ' +
      'AND (("updated_at" > $1) OR ("updated_at" = $2 AND "id" > $3)) ORDER BY "updated_at", "id" LIMIT 100',
  );
  t.same(page.params, ['2026-01-01 12:00:00.000', '2026-01-01 12:00:00.000', 7]);
  t.notMatch(page.sql, /OFFSET/i);
});

t.test('an incremental page stops at the through bound on the first cursor column', async (t) => {
  const page = postgresDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at', 'id'], after: ['a', 1], through: 'b', limit: 10 });
  t.match(page.sql, / AND "updated_at" <= \$4 ORDER BY "updated_at", "id" LIMIT 10$/);
  t.same(page.params, ['a', 'a', 1, 'b']);
  const first = postgresDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['u'], after: null, through: 'b', limit: 10 });
  t.equal(first.sql, 'SELECT * FROM (\nSELECT * FROM t\n) AS q WHERE "u" IS NOT NULL AND "u" <= $1 ORDER BY "u" LIMIT 10');
});

t.test('column metadata comes from a query that returns no row', async (t) => {
  t.same(postgresDialect.columnsSql('SELECT a FROM t'), { sql: 'SELECT * FROM (\nSELECT a FROM t\n) AS q WHERE 1 = 0', params: [] });
});

t.test('NULL cursor rows are counted over the job query', async (t) => {
  t.same(postgresDialect.nullCountSql('SELECT * FROM t', ['updated_at', 'id']), {
    sql: 'SELECT COUNT(*) AS n FROM (\nSELECT * FROM t\n) AS q WHERE "updated_at" IS NULL OR "id" IS NULL',
    params: [],
  });
});

t.test('the clock is clock_timestamp(), the real instant, not now() frozen at transaction start', async (t) => {
  t.equal(postgresDialect.clockSql(), 'SELECT clock_timestamp() AS now');
});

t.test('facts: version(), the zone the department sessions get, and whether the role can write', async (t) => {
  const facts = postgresDialect.factsSql();
  t.equal(facts.version, 'SELECT version() AS version');
  t.equal(facts.timeZone, "SELECT reset_val AS time_zone FROM pg_settings WHERE name = 'TimeZone'", 'the session itself runs in UTC');
  t.match(facts.canWrite, /rolsuper/, 'a superuser can write whatever the grants say');
  t.match(facts.canWrite, /has_table_privilege\(c\.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'\)/);
  t.match(facts.canWrite, /NOT IN \('pg_catalog', 'information_schema'\)/, 'system schemas do not count');
});

t.test('the session is read-only before anything else, in UTC and ISO, with every timeout set', async (t) => {
  const session = postgresSessionSql(30_000);
  t.equal(session[0], 'SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
  t.same(session.slice(1), [
    "SET TIME ZONE 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    'SET extra_float_digits = 3',
    'SET statement_timeout = 30000',
    "SELECT set_config(v.name, v.setting, false) FROM (VALUES ('lock_timeout', '10000'), ('idle_in_transaction_session_timeout', '60000')) " +
      'AS v (name, setting) WHERE v.name IN (SELECT s.name FROM pg_settings s)',
  ]);
});

t.test('lock_timeout gives up before the statement limit, so a blocked read names the lock', async (t) => {
  const session = postgresDialect.sessionSql({ queryTimeoutMs: 2000 });
  t.ok(session.includes('SET statement_timeout = 2000'));
  t.match(session.at(-1), /\('lock_timeout', '1000'\), \('idle_in_transaction_session_timeout', '60000'\)/);
});

t.test('open transactions: every open transaction in this database but our own, hidden sessions counted, standby flagged', async (t) => {
  const spec = postgresDialect.openTransactionsSql!();
  t.equal(spec.statements.length, 1);
  const sql = spec.statements[0]!;
  t.match(sql, /min\(a\.xact_start\) FILTER \(WHERE a\.backend_type IS DISTINCT FROM 'autovacuum worker'\) AS oldest/);
  t.notMatch(sql, /backend_xid|backend_xmin/, 'now() is the transaction\'s start: one that has not written yet still stamps with it');
  t.match(sql, /count\(\*\) FILTER \(WHERE a\.xact_start IS NULL AND a\.query = '<insufficient privilege>'\) AS hidden/);
  t.match(sql, /pg_is_in_recovery\(\) AS replica/);
  t.match(sql, /WHERE a\.datname = current_database\(\) AND a\.pid <> pg_backend_pid\(\)/);
  t.equal(spec.privilege, 'pg_read_all_stats');
});
