import t from 'tap';
import { checkSelectOnly } from '../../../connectors/sql/statement-guard.js';
import { derivedTableBody } from '../../../connectors/sql/query-text.js';
import type { SqlKind } from '../../../connectors/sql/dialect.js';

const KINDS: SqlKind[] = ['mysql', 'postgres', 'mssql', 'oracle', 'sqlite'];

/** Statements that must never reach a department's server, whatever the database. */
const ATTACKS: [string, string, SqlKind[]?][] = [
  ['UPDATE t SET a = 1', 'an UPDATE'],
  ['DELETE FROM t', 'a DELETE'],
  ['DROP TABLE t', 'a DROP'],
  ['INSERT INTO t VALUES (1)', 'an INSERT'],
  ['TRUNCATE TABLE t', 'a TRUNCATE'],
  ['MERGE INTO t USING s ON (t.id = s.id) WHEN MATCHED THEN UPDATE SET a = 1', 'a MERGE'],
  ['REPLACE INTO t VALUES (1)', "MySQL's REPLACE"],
  ['GRANT ALL ON t TO public', 'a GRANT'],
  ['CREATE TABLE x AS SELECT * FROM t', 'a CREATE … AS SELECT'],
  ['SELECT 1; DROP TABLE t', 'two statements'],
  ['SELECT 1;DELETE FROM t;', 'two statements, both ended'],
  ['SELECT 1 /* ; */; DROP TABLE t', 'a semicolon after a comment that contains one'],
  ['SELECT 1 -- \n; DELETE FROM t', 'a line comment then a statement on the next line'],
  ['SELECT/**/1;DELETE', 'statements glued with an empty comment'],
  ['SELECT 1 /* /* */ ; DELETE FROM t', 'a nested-comment trick'],
  ["SELECT 'a\\'; DROP TABLE t; -- '", 'a backslash-escaped quote that ends early where backslashes are not escapes', ['postgres', 'mssql', 'oracle', 'sqlite']],
  ['SELECT 1--1\n; DELETE FROM t', "MySQL's '--' without a space is arithmetic, not a comment"],
  ['SELECT 1 # comment\n; DELETE FROM t', "MySQL's '#' comment"],
  ['SELECT 1 /*!; DROP TABLE t */', "MySQL's executable comment", ['mysql']],
  ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', "PostgreSQL's data-modifying CTE"],
  ['WITH u AS (UPDATE t SET a = 1 RETURNING id) SELECT id FROM u', 'an UPDATE inside WITH'],
  ['SELECT * INTO backup FROM t', 'SELECT INTO creates a table'],
  ["SELECT * FROM t INTO OUTFILE '/tmp/x'", 'SELECT INTO OUTFILE writes a file'],
  ['SELECT * FROM t FOR UPDATE', 'FOR UPDATE locks rows'],
  ['SELECT * FROM t FOR SHARE', 'FOR SHARE locks rows'],
  ['SELECT * FROM t FOR NO KEY UPDATE', 'FOR NO KEY UPDATE locks rows'],
  ['SELECT * FROM t LOCK IN SHARE MODE', 'LOCK IN SHARE MODE locks rows'],
  ['SELECT pg_sleep(10)', 'pg_sleep holds a connection'],
  ['SELECT sleep(10)', "MySQL's sleep()"],
  ["SELECT 1; WAITFOR DELAY '00:00:10'", "SQL Server's WAITFOR"],
  ["SELECT DBMS_LOCK.SLEEP(10) FROM dual", "Oracle's DBMS_ packages"],
  ["SELECT UTL_HTTP.REQUEST('http://x') FROM dual", "Oracle's UTL_ packages"],
  ["SELECT * FROM t; EXEC xp_cmdshell 'dir'", 'xp_cmdshell'],
  ["SELECT xp_cmdshell('dir')", 'xp_ procedures anywhere'],
  ["SELECT set_config('default_transaction_read_only', 'off', false)", 'turning the read-only session off'],
  ["SELECT nextval('s')", 'a sequence advance is a write'],
  ['EXECUTE stmt', 'EXECUTE'],
  ['CALL proc()', 'CALL'],
  ["COPY t TO '/tmp/x'", 'COPY'],
  ['SET ROLE admin', 'SET'],
  ['\\! rm -rf /', 'a psql meta command'],
  ['SELECT 1 \\g', 'a psql meta command after a query'],
  ['SELECT 1 ；DELETE FROM t', 'a full-width semicolon'],
  ['SELECT 1; ＤＥＬＥＴＥ FROM t', 'full-width letters'],
  ["SELECT 'unterminated", 'an unterminated string'],
  ['SELECT 1 /* unterminated', 'an unterminated comment'],
  ['', 'nothing'],
  ['   ;', 'only a semicolon'],
  ['VALUES (1)', 'not a SELECT'],
  ['EXPLAIN ANALYZE DELETE FROM t', 'EXPLAIN ANALYZE runs the statement'],
  ['SELECT * FROM t; SELECT * FROM u', 'two SELECTs'],
  ['SELECT 1DELETE FROM t', 'a keyword glued to a number'],
  ["SELECT $$ a $$; DROP TABLE t", 'a statement after a dollar-quoted string'],
  ["SELECT 1 FROM t WHERE a = ? ; DO $$BEGIN DELETE FROM t; END$$", 'an anonymous block'],
];

t.test('writing, locking and multi-statement SQL is refused for every database kind', async (t) => {
  for (const [sql, why] of ATTACKS) {
    const any = checkSelectOnly(sql);
    t.equal(any.ok, false, `refused (any kind): ${why}: ${JSON.stringify(sql)}`);
    if (!any.ok) t.ok(any.reason.length > 10, `with a reason: ${any.reason}`);
  }
});

t.test('each attack is refused under the rules of every database kind that would run it', async (t) => {
  for (const kind of KINDS) {
    for (const [sql, why, dangerousFor] of ATTACKS) {
      if (!dangerousFor || dangerousFor.includes(kind)) t.equal(checkSelectOnly(sql, kind).ok, false, `${kind}: ${why}`);
    }
  }
  const kindSpecific: [SqlKind, string][] = [
    ['mysql', 'SELECT 1--1\n; DELETE FROM t'],
    ['mysql', 'SELECT 1 /*!; DROP TABLE t */'],
    ['postgres', 'SELECT 1 /* /* */ ; DELETE FROM t */ ; DELETE FROM t'],
    ['postgres', 'WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d'],
    ['mssql', "SELECT 1 WAITFOR DELAY '00:00:10'"],
    ['oracle', "SELECT q'[;]' FROM dual; DROP TABLE t"],
  ];
  for (const [kind, sql] of kindSpecific) t.equal(checkSelectOnly(sql, kind).ok, false, `${kind}: ${JSON.stringify(sql)}`);
});

/** Legitimate queries, including the dangerous words where they are only text. */
const LEGITIMATE: string[] = [
  'SELECT * FROM t',
  'SELECT * FROM t;',
  'SELECT * FROM t;  -- trailing comment',
  '  select id, updated_at from t_xzcf where revoked = 0  ',
  "SELECT * FROM t WHERE note = 'DELETE FROM t; DROP TABLE t'",
  "SELECT * FROM t WHERE note = 'it''s; UPDATE'",
  'SELECT "update", "delete", "set" FROM t',
  'SELECT * FROM t -- DELETE FROM t; in a comment\nWHERE id > 0',
  'SELECT * FROM t /* ; DROP TABLE t */ WHERE id > 0',
  'WITH recent AS (SELECT * FROM t WHERE updated_at > \'2020-01-01\') SELECT * FROM recent',
  "SELECT REPLACE(name, ' ', '') AS name FROM t",
  'SELECT updated_at, deleted_flag, insert_time, update_user, created_by FROM t',
  '(SELECT id FROM a) UNION ALL (SELECT id FROM b)',
  'SELECT id, 名称 AS name FROM 行政处罚 WHERE 状态 = \'有效\'',
  "SELECT * FROM t WHERE name LIKE '%（有限公司）%'",
  'SELECT a.id FROM t a JOIN u b ON a.id = b.id WHERE a.x IS NOT NULL ORDER BY a.id',
  'SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END AS flag FROM t',
];

t.test('legitimate SELECTs pass, with dangerous words only inside literals, comments and quoted names', async (t) => {
  for (const sql of LEGITIMATE) t.same(checkSelectOnly(sql), { ok: true }, JSON.stringify(sql));
});

t.test("each kind's own quoting is understood when the kind is known", async (t) => {
  t.same(checkSelectOnly('SELECT `update`, `set` FROM `t`', 'mysql'), { ok: true });
  t.same(checkSelectOnly("SELECT * FROM t WHERE a = 'it\\'s; DELETE'", 'mysql'), { ok: true });
  t.same(checkSelectOnly('SELECT [update], [set;x] FROM [dbo].[t]', 'mssql'), { ok: true });
  t.same(checkSelectOnly("SELECT q'[it's; DELETE]' FROM dual", 'oracle'), { ok: true });
  t.same(checkSelectOnly('SELECT $tag$ ; DELETE $tag$ AS x, $1 FROM t', 'postgres'), { ok: true });
  t.same(checkSelectOnly("SELECT E'it\\'s; DELETE' AS x", 'postgres'), { ok: true });
  t.same(checkSelectOnly('SELECT 1 /* outer /* inner */ still comment ; DELETE */', 'postgres'), { ok: true });
  t.same(checkSelectOnly('SELECT * FROM #tmp', 'mssql'), { ok: true });
});

t.test('the job query becomes the body of a derived table without its semicolon or trailing comment', async (t) => {
  t.equal(derivedTableBody('SELECT * FROM t; -- done', 'postgres'), '\nSELECT * FROM t\n');
  t.equal(derivedTableBody('SELECT * FROM t -- latest', 'mysql'), '\nSELECT * FROM t -- latest\n', 'a trailing comment ends at the newline the wrapper adds');
  t.equal(derivedTableBody("SELECT ';' AS x FROM t", 'sqlite'), "\nSELECT ';' AS x FROM t\n");
});
