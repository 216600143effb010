import t from 'tap';
import { exactSelectList, mssqlDialect, mssqlSessionSql, quoteMssqlIdentifier } from '../../../connectors/mssql/mssql-dialect.js';
import { mssqlDerivedTable, topStar, withSelectList, withTop } from '../../../connectors/mssql/mssql-query-text.js';
import { mssqlCursorParam, mssqlParam } from '../../../connectors/mssql/mssql-types.js';

t.test('identifiers are bracketed with a closing bracket doubled, case and odd characters kept', async (t) => {
  t.equal(quoteMssqlIdentifier('updated_at'), '[updated_at]');
  t.equal(quoteMssqlIdentifier('UpdatedAt'), '[UpdatedAt]');
  t.equal(quoteMssqlIdentifier('a]b'), '[a]]b]');
  t.equal(quoteMssqlIdentifier('a[b'), '[a[b]', 'an opening bracket needs no escape');
  t.equal(quoteMssqlIdentifier('处罚 日期'), '[处罚 日期]');
  t.equal(quoteMssqlIdentifier("it's"), "[it's]");
  t.throws(() => quoteMssqlIdentifier('a\0b'), 'a NUL would end the statement text');
});

t.test('placeholders are @p1, @p2 …', async (t) => {
  t.equal(mssqlDialect.placeholder(1), '@p1');
  t.equal(mssqlDialect.placeholder(12), '@p12');
});

t.test('the first page: TOP (@pN) over the job query as a derived table, NULL cursors left out, ordered by the cursor', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM dbo.t_xzcf; -- all penalties', cursorColumns: ['updated_at', 'id'], after: null, limit: 500 });
  t.equal(
    page.sql,
    'SELECT TOP (@p1) * FROM (\nSELECT * FROM dbo.t_xzcf\n) AS q WHERE q.[updated_at] IS NOT NULL AND q.[id] IS NOT NULL ORDER BY q.[updated_at], q.[id]',
    'cursor columns are named through the alias, so a converted select-list column of the same name never takes their place',
  );
  t.same(page.params, [mssqlParam('Int', 500)], 'the row limit is bound, so every page size shares one plan');
});

t.test('later pages: the keyset OR-chain after the last row, composite cursor, never OFFSET', async (t) => {
  const at = mssqlParam('DateTime2', new Date(Date.UTC(2026, 0, 1, 12)), { scale: 7 });
  const id = mssqlParam('BigInt', '7');
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at', 'id'], after: [at, id], limit: 100 });
  t.equal(
    page.sql,
    'SELECT TOP (@p4) * FROM (\nSELECT * FROM t\n) AS q WHERE q.[updated_at] IS NOT NULL AND q.[id] IS NOT NULL ' +
      'AND ((q.[updated_at] > @p1) OR (q.[updated_at] = @p2 AND q.[id] > @p3)) ORDER BY q.[updated_at], q.[id]',
  );
  t.same(page.params, [at, at, id, mssqlParam('Int', 100)], 'each cursor value keeps the type it was converted to');
  t.notMatch(page.sql, /OFFSET|FETCH/i);
});

t.test('three cursor columns chain their ties column by column', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['a', 'b', 'c'], after: [1, 2, 3], limit: 10 });
  t.match(page.sql, 'AND ((q.[a] > @p1) OR (q.[a] = @p2 AND q.[b] > @p3) OR (q.[a] = @p4 AND q.[b] = @p5 AND q.[c] > @p6)) ORDER BY q.[a], q.[b], q.[c]');
  t.same(page.params.slice(0, 6), [1, 1, 2, 1, 2, 3]);
  t.match(page.sql, /^SELECT TOP \(@p7\) /);
});

t.test('a decimal cursor is bound as its text and CAST to the column\'s type where it is placed', async (t) => {
  const amount = mssqlCursorParam('12345678901234.5678', { column: { name: 'amount', type: 'DECIMAL', precision: 20, scale: 4 }, timeZone: 'UTC' });
  const money = mssqlCursorParam('-0.2900', { column: { name: 'fee', type: 'MONEY', precision: 19, scale: 4 }, timeZone: 'UTC' });
  t.same(amount, mssqlParam('VarChar', '12345678901234.5678', { cast: 'DECIMAL(20,4)' }));
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['amount', 'fee'], after: [amount, money], limit: 5 });
  t.match(page.sql, '((q.[amount] > CAST(@p1 AS DECIMAL(20,4))) OR (q.[amount] = CAST(@p2 AS DECIMAL(20,4)) AND q.[fee] > CAST(@p3 AS MONEY)))');
  t.same(page.params, [amount, amount, money, mssqlParam('Int', 5)]);
});

t.test('an incremental page stops at the through bound on the first cursor column', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['updated_at', 'id'], after: ['a', 1], through: 'b', limit: 10 });
  t.match(page.sql, / AND q\.\[updated_at\] <= @p4 ORDER BY q\.\[updated_at\], q\.\[id\]$/);
  t.same(page.params, ['a', 'a', 1, 'b', mssqlParam('Int', 10)]);
  const first = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['u'], after: null, through: 'b', limit: 10 });
  t.equal(first.sql, 'SELECT TOP (@p2) * FROM (\nSELECT * FROM t\n) AS q WHERE q.[u] IS NOT NULL AND q.[u] <= @p1 ORDER BY q.[u]');
});

t.test('a count covers what the pages of the same window return: same predicate, same CAST bindings, COUNT_BIG, CTEs lifted', async (t) => {
  const amount = mssqlCursorParam('12345678901234.5678', { column: { name: 'amount', type: 'DECIMAL', precision: 20, scale: 4 }, timeZone: 'UTC' });
  const request = { query: 'SELECT * FROM t', cursorColumns: ['amount', 'id'], after: [amount, 7], through: amount };
  const page = mssqlDialect.pageSql({ ...request, limit: 10 });
  const count = mssqlDialect.countSql(request);
  const where = page.sql.slice(page.sql.indexOf(' FROM '), page.sql.indexOf(' ORDER BY '));
  t.equal(count.sql, `SELECT COUNT_BIG(*) AS n${where}`);
  t.same(count.params, page.params.slice(0, -1), 'the page\'s values without its row limit');
  const cte = mssqlDialect.countSql({ query: 'WITH a AS (SELECT 1 AS id) SELECT * FROM a', cursorColumns: ['id'], after: null });
  t.match(cte.sql, /^WITH a AS \(SELECT 1 AS id\)\s*SELECT COUNT_BIG\(\*\) AS n FROM \(/, 'the CTE goes in front, as in a page');
});

t.test('odd cursor column names are quoted wherever they appear', async (t) => {
  const page = mssqlDialect.pageSql({ query: 'SELECT * FROM t', cursorColumns: ['更新 时间]'], after: ['x'], limit: 1 });
  t.equal(page.sql, 'SELECT TOP (@p2) * FROM (\nSELECT * FROM t\n) AS q WHERE q.[更新 时间]]] IS NOT NULL AND ((q.[更新 时间]]] > @p1)) ORDER BY q.[更新 时间]]]');
});

t.test('a page limit that is not a positive integer is refused before any SQL is written', async (t) => {
  t.throws(() => mssqlDialect.pageSql({ query: 'SELECT 1 AS a', cursorColumns: ['a'], after: null, limit: 0 }));
  t.throws(() => mssqlDialect.pageSql({ query: 'SELECT 1 AS a', cursorColumns: ['a'], after: null, limit: 2.5 }));
});

t.test('a job query with CTEs: the WITH list goes in front of the paging statement, which T-SQL requires', async (t) => {
  const query = 'WITH recent AS (SELECT * FROM t WHERE y > 2020), named (id, n) AS (SELECT id, name FROM recent)\nSELECT * FROM named';
  const page = mssqlDialect.pageSql({ query, cursorColumns: ['id'], after: [5], limit: 50 });
  t.equal(
    page.sql,
    'WITH recent AS (SELECT * FROM t WHERE y > 2020), named (id, n) AS (SELECT id, name FROM recent)\n' +
      'SELECT TOP (@p2) * FROM (\nSELECT * FROM named\n) AS q WHERE q.[id] IS NOT NULL AND ((q.[id] > @p1)) ORDER BY q.[id]',
  );
  t.equal(mssqlDialect.columnsSql(query).sql, 'WITH recent AS (SELECT * FROM t WHERE y > 2020), named (id, n) AS (SELECT id, name FROM recent)\nSELECT TOP (0) * FROM (\nSELECT * FROM named\n) AS q');
});

t.test('a trailing ORDER BY is dropped (error 1033 in a derived table) unless TOP, OFFSET or FOR XML gives it a meaning', async (t) => {
  t.same(mssqlDerivedTable('SELECT * FROM t ORDER BY id DESC;'), { ctes: '', body: '\nSELECT * FROM t\n' });
  t.same(mssqlDerivedTable('SELECT TOP 10 * FROM t ORDER BY id DESC'), { ctes: '', body: '\nSELECT TOP 10 * FROM t ORDER BY id DESC\n' });
  t.same(mssqlDerivedTable('SELECT * FROM t ORDER BY id OFFSET 5 ROWS'), { ctes: '', body: '\nSELECT * FROM t ORDER BY id OFFSET 5 ROWS\n' });
  t.same(
    mssqlDerivedTable('SELECT a, (SELECT TOP 1 b FROM u ORDER BY b) AS b FROM t'),
    { ctes: '', body: '\nSELECT a, (SELECT TOP 1 b FROM u ORDER BY b) AS b FROM t\n' },
    'an ORDER BY inside a subquery is not the query\'s own',
  );
  t.same(mssqlDerivedTable("SELECT 'ORDER BY x' AS [order by] FROM t"), { ctes: '', body: "\nSELECT 'ORDER BY x' AS [order by] FROM t\n" }, 'words in strings and brackets are not code');
  t.same(mssqlDerivedTable('WITH a AS (SELECT * FROM t ORDER BY x OFFSET 0 ROWS) SELECT * FROM a ORDER BY id'), {
    ctes: 'WITH a AS (SELECT * FROM t ORDER BY x OFFSET 0 ROWS)\n',
    body: '\nSELECT * FROM a\n',
  });
});

t.test('a query that only looks like it starts with WITH is left whole', async (t) => {
  t.same(mssqlDerivedTable('SELECT * FROM t WITH (NOLOCK)'), { ctes: '', body: '\nSELECT * FROM t WITH (NOLOCK)\n' });
  t.same(mssqlDerivedTable('WITH XMLNAMESPACES (\'urn:x\' AS x) SELECT * FROM t'), { ctes: "WITH XMLNAMESPACES ('urn:x' AS x)\n", body: '\nSELECT * FROM t\n' });
});

t.test('wide exact numerics are read as SQL Server\'s own text: the driver swaps the page\'s * for a converting list', async (t) => {
  const columns = [
    { name: 'id', type: 'INT' },
    { name: 'amount', type: 'DECIMAL', precision: 20, scale: 4 },
    { name: 'small', type: 'DECIMAL', precision: 12, scale: 2 },
    { name: 'fee', type: 'MONEY', precision: 19, scale: 4 },
    { name: 'a]b', type: 'NUMERIC', precision: 38, scale: 0 },
  ];
  t.equal(
    exactSelectList(columns),
    'q.[id], CONVERT(VARCHAR(48), q.[amount]) AS [amount], q.[small], CONVERT(VARCHAR(48), q.[fee], 2) AS [fee], CONVERT(VARCHAR(48), q.[a]]b]) AS [a]]b]',
    'up to 15 digits the double is exact and the column is left alone; MONEY in style 2 keeps four decimals',
  );
  t.equal(exactSelectList([{ name: 'id', type: 'INT' }, { name: 'small', type: 'DECIMAL', precision: 15, scale: 2 }]), null, 'nothing to convert: the page keeps its *');

  const page = mssqlDialect.pageSql({ query: "WITH x AS (SELECT * FROM t WHERE a = '*') SELECT * FROM x", cursorColumns: ['amount'], after: [1], limit: 10 });
  const shape = topStar(page.sql);
  t.ok(shape, 'the page statement has the shape the driver rewrites');
  t.equal(
    withTop(page.sql, shape!, '0'),
    "WITH x AS (SELECT * FROM t WHERE a = '*')\nSELECT TOP (0) * FROM (\nSELECT * FROM x\n) AS q WHERE q.[amount] IS NOT NULL AND ((q.[amount] > @p1)) ORDER BY q.[amount]",
    'the same statement, zero rows: its columns, cheaply',
  );
  t.equal(
    withSelectList(page.sql, shape!, exactSelectList(columns.slice(0, 2))!),
    "WITH x AS (SELECT * FROM t WHERE a = '*')\nSELECT TOP (@p2) q.[id], CONVERT(VARCHAR(48), q.[amount]) AS [amount] FROM (\nSELECT * FROM x\n) AS q " +
      'WHERE q.[amount] IS NOT NULL AND ((q.[amount] > @p1)) ORDER BY q.[amount]',
    'ordered and compared by the column itself, returned as text',
  );
  t.equal(topStar('SELECT @@VERSION AS version'), null, 'other statements are sent as they are');
  t.equal(topStar('SELECT TOP (1) a FROM t'), null);
});

t.test('column metadata comes from TOP (0) over the job query', async (t) => {
  t.same(mssqlDialect.columnsSql('SELECT a FROM t'), { sql: 'SELECT TOP (0) * FROM (\nSELECT a FROM t\n) AS q', params: [] });
});

t.test('NULL cursor rows are counted with COUNT_BIG over the job query', async (t) => {
  t.same(mssqlDialect.nullCountSql('SELECT * FROM t', ['updated_at', 'id']), {
    sql: 'SELECT COUNT_BIG(*) AS n FROM (\nSELECT * FROM t\n) AS q WHERE [updated_at] IS NULL OR [id] IS NULL',
    params: [],
  });
});

t.test('the clock is the server\'s UTC time, never its local time', async (t) => {
  t.equal(mssqlDialect.clockSql(), 'SELECT SYSUTCDATETIME() AS now');
});

t.test('facts: the first line of @@VERSION, the zone by name where the server has CURRENT_TIMEZONE(), write permissions', async (t) => {
  const facts = mssqlDialect.factsSql();
  t.equal(facts.version, 'SELECT RTRIM(LEFT(@@VERSION, CHARINDEX(CHAR(10), @@VERSION + CHAR(10)) - 1)) AS version');
  t.match(facts.timeZone, /DECLARE @tz NVARCHAR\(256\) = DATENAME\(TZOFFSET, SYSDATETIMEOFFSET\(\)\);/, 'the offset first: every version has it');
  t.match(facts.timeZone, /BEGIN TRY\s+EXEC sp_executesql N'SELECT @tz = CURRENT_TIMEZONE\(\)'/, 'then the name, compiled only where it exists');
  t.match(facts.timeZone, /SELECT @tz AS time_zone$/);
  t.match(facts.canWrite, /IS_ROLEMEMBER\('db_datawriter'\) = 1/);
  t.match(facts.canWrite, /HAS_PERMS_BY_NAME\(DB_NAME\(\), N'DATABASE', N'INSERT'\) = 1/);
  t.match(facts.canWrite, /FROM sys\.tables AS t WHERE HAS_PERMS_BY_NAME\(QUOTENAME\(SCHEMA_NAME\(t\.schema_id\)\) \+ N'\.' \+ QUOTENAME\(t\.name\), N'OBJECT', N'INSERT'\) = 1 OR .*N'UPDATE'.* OR .*N'DELETE'\) = 1\)/);
  t.match(facts.canWrite, /THEN 1 ELSE 0 END AS can_write$/);
});

t.test('the session: READ COMMITTED and a lock timeout no longer than the statement timeout (at most 10 s)', async (t) => {
  t.same(mssqlSessionSql(30_000), ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'SET LOCK_TIMEOUT 10000']);
  t.same(mssqlSessionSql(2_500), ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'SET LOCK_TIMEOUT 2500']);
  t.same(mssqlDialect.sessionSql({ queryTimeoutMs: 0 }), ['SET TRANSACTION ISOLATION LEVEL READ COMMITTED', 'SET LOCK_TIMEOUT 1'], 'never 0, which would mean "do not wait at all" … nor -1, "wait for ever"');
});

t.test('open transactions: every session\'s but this one\'s and the engine\'s, begin time moved from local time to UTC less 1 s, with the grant and replica checks', async (t) => {
  const spec = mssqlDialect.openTransactionsSql!();
  t.equal(spec.statements.length, 1);
  const sql = spec.statements[0]!;
  t.match(sql, /FROM sys\.dm_tran_session_transactions s JOIN sys\.dm_tran_active_transactions a ON a\.transaction_id = s\.transaction_id/);
  t.match(sql, /WHERE s\.session_id <> @@SPID AND a\.transaction_type <> 2/, 'system transactions (type 2) write no rows');
  t.match(sql, /DATEADD\(second, -1, DATEADD\(minute, -DATEPART\(TZOFFSET, SYSDATETIMEOFFSET\(\)\), MIN\(a\.transaction_begin_time\)\)\) AS oldest/,
    'transaction_begin_time is local: the server\'s offset is taken off, then a second for its precision');
  t.match(sql, /HAS_PERMS_BY_NAME\(NULL, NULL, 'VIEW SERVER STATE'\) = 1 THEN 0 ELSE 1 END AS hidden/);
  t.match(sql, /'Updateability'\) AS NVARCHAR\(20\)\) = N'READ_ONLY' THEN 1 ELSE 0 END AS replica/);
  t.equal(spec.privilege, 'VIEW SERVER STATE');
  t.ok(spec.denied.test('The user does not have permission to perform this action. VIEW SERVER STATE permission was denied on object \'server\''));
  t.notOk(spec.denied.test('Invalid object name'), 'other failures are failures, not a missing grant');
  t.equal(sql.match(/\(/g)?.length, sql.match(/\)/g)?.length, 'parentheses balance');
});
