import t from 'tap';
import { columnsOnlySql, limitPageSql, nullCountSql, pageParts, type SqlWriter } from '../../../connectors/sql/page-sql.js';

const pg: SqlWriter = { kind: 'postgres', quoteIdentifier: (n) => `"${n}"`, placeholder: (i) => `$${i}` };
const oracle: SqlWriter = { kind: 'oracle', quoteIdentifier: (n) => `"${n}"`, placeholder: (i) => `:${i}`, derivedAlias: 'q' };

t.test('a first page: NULL cursors excluded, ordered by the cursor, limited, never OFFSET', async (t) => {
  const page = limitPageSql(pg, { query: 'SELECT * FROM t;', cursorColumns: ['ts', 'id'], after: null, limit: 500 });
  t.equal(page.sql, 'SELECT * FROM (\nSELECT * FROM t\n) AS q WHERE "ts" IS NOT NULL AND "id" IS NOT NULL ORDER BY "ts", "id" LIMIT 500');
  t.same(page.params, []);
  t.notMatch(page.sql, /OFFSET/);
});

t.test('a later page: strictly after the cursor, and through bounds the first cursor column', async (t) => {
  const page = limitPageSql(pg, { query: 'SELECT * FROM t -- latest', cursorColumns: ['ts', 'id'], after: ['T', 7], through: 'B', limit: 2 });
  t.equal(
    page.sql,
    'SELECT * FROM (\nSELECT * FROM t -- latest\n) AS q WHERE "ts" IS NOT NULL AND "id" IS NOT NULL AND (("ts" > $1) OR ("ts" = $2 AND "id" > $3)) AND "ts" <= $4 ORDER BY "ts", "id" LIMIT 2',
  );
  t.same(page.params, ['T', 'T', 7, 'B']);
});

t.test('the pieces are there for dialects that place the limit themselves', async (t) => {
  const parts = pageParts(oracle, { query: 'SELECT * FROM t', cursorColumns: ['id'], after: [3] });
  t.equal(parts.from, '(\nSELECT * FROM t\n) q');
  t.equal(parts.where, '"id" IS NOT NULL AND (("id" > :1))');
  t.equal(parts.orderBy, '"id"');
  t.same(parts.params, [3]);
});

t.test('a page limit is a positive integer, written into the SQL', async (t) => {
  for (const limit of [0, -1, 1.5, Number.NaN]) t.throws(() => limitPageSql(pg, { query: 'SELECT 1', cursorColumns: ['id'], after: null, limit }));
});

t.test('column metadata without rows, and the NULL-cursor count', async (t) => {
  t.equal(columnsOnlySql(pg, 'SELECT * FROM t').sql, 'SELECT * FROM (\nSELECT * FROM t\n) AS q WHERE 1 = 0');
  t.equal(nullCountSql(pg, 'SELECT * FROM t', ['ts', 'id']).sql, 'SELECT COUNT(*) AS n FROM (\nSELECT * FROM t\n) AS q WHERE "ts" IS NULL OR "id" IS NULL');
});
