/**
 * Issue 10 case 9 on real databases: one row holds bytes in a BLOB/bytea
 * column. The page is read and committed; that row is rejected with its
 * reason only when the job maps the binary column, and an unmapped binary
 * column (SELECT *) rejects nothing.
 */
import t, { type Test } from 'tap';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unreadableValue, type Source } from '../../../connectors/contract.js';
import { createMysqlSource } from '../../../connectors/mysql/index.js';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import { createSqliteSource } from '../../../connectors/sqlite/index.js';
import { runIncremental, type MapRow, type PageStore } from '../../../gateway/jobs/runner.js';
import { mapRow } from '../../../gateway/mapping/map-row.js';
import type { JobMapping } from '../../../gateway/mapping/types.js';
import type { Page } from '../../../gateway/model.js';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';
import { postgresBinDir, postgresSourceOptions, startPostgres } from '../../helpers/postgres.js';

const ROWS = 5;
const BAD = 3;

function job(fields: JobMapping['fields']): JobMapping {
  return { name: 'penalties', category: 'P07-002', key: ['id'], subject: { kind: 'legal', name: 'party_name', code: 'credit_code' }, fields };
}

function mapper(mapping: JobMapping): MapRow {
  return (row, observedAt) => {
    const result = mapRow(mapping, row, { gatewayId: 'hs-test', observedAt });
    return result.ok ? { record: result.record } : { rejection: result.rejection };
  };
}

/** The pages a run commits, as the store's page transaction receives them. */
function pageStore(): PageStore & { pages: Page[] } {
  const pages: Page[] = [];
  return {
    pages,
    getCursor: () => null,
    commitPage: (page) => {
      pages.push(page);
      return { queued: page.records.length, unchanged: 0, rejected: page.rejections.length };
    },
  };
}

async function expectRowLevel(t: Test, source: Source): Promise<void> {
  await source.open();
  t.teardown(() => source.close());
  const query = 'SELECT * FROM t_unreadable';

  const rows = await source.readPage({ query, cursorColumns: ['id'], after: null, limit: 100 });
  t.equal(rows.length, ROWS, 'the page holds every row, the one with bytes too');
  const bad = rows.find((r) => Number(r.id) === BAD)!;
  t.equal(bad.photo, null, 'the bytes are not passed on');
  t.match(unreadableValue(bad, 'photo'), { column: 'photo', code: 'SOURCE_BINARY_COLUMN' }, 'the value is marked unreadable, with its reason');
  t.notOk(JSON.stringify(bad).includes('unreadable'), 'the mark is not part of the row\'s values');
  t.equal(unreadableValue(rows.find((r) => Number(r.id) === 1)!, 'photo'), undefined, 'a NULL in the binary column is just NULL');

  const unmapped = pageStore();
  await runIncremental({ name: 'penalties', query, cursor: ['id'], pageSize: 100, mapRow: mapper(job({ CF_NR: 'content' })) }, { source, store: unmapped });
  t.equal(unmapped.pages.length, 1, 'the page is committed');
  t.equal(unmapped.pages[0]!.records.length, ROWS, 'a binary column the job does not map rejects nothing');
  t.same(unmapped.pages[0]!.rejections, []);

  const mapped = pageStore();
  await runIncremental({ name: 'penalties', query, cursor: ['id'], pageSize: 100, mapRow: mapper(job({ CF_NR: 'content', CF_BZ: 'photo' })) }, { source, store: mapped });
  t.equal(mapped.pages.length, 1, 'the page is committed');
  t.same(mapped.pages[0]!.records.map((r) => r.key).sort(), ['1', '2', '4', '5'], 'the good rows of the page are records');
  const [rejection] = mapped.pages[0]!.rejections;
  t.equal(rejection?.key, String(BAD), 'only the row with bytes in a mapped column is rejected');
  t.match(rejection?.findings, [{ field: 'CF_BZ', code: 'VALUE_BINARY', message: /列 photo 是二进制数据/ }], 'with a reason in Chinese naming the column');
}

t.test('SQLite: a BLOB in one row', async (t) => {
  const file = join(t.testdir({}), 'biz.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE t_unreadable (id INTEGER PRIMARY KEY, party_name TEXT, credit_code TEXT, content TEXT, photo BLOB)');
  const insert = db.prepare('INSERT INTO t_unreadable VALUES (?, ?, ?, ?, ?)');
  for (let id = 1; id <= ROWS; id++) insert.run(id, `企业${id}`, `91420200MA4${id}`, 'v1', id === BAD ? Buffer.from([0xff, 0xd8, 0x00]) : null);
  db.close();
  await expectRowLevel(t, createSqliteSource({ name: 'biz', file }));
});

t.test('PostgreSQL: a bytea in one row', { skip: postgresBinDir() ? false : 'no PostgreSQL binaries' }, async (t) => {
  const server = await startPostgres(t);
  await server.admin(`CREATE TABLE t_unreadable (id int PRIMARY KEY, party_name text, credit_code text, content text, photo bytea);
    GRANT SELECT ON t_unreadable TO credit_ro`);
  for (let id = 1; id <= ROWS; id++) {
    await server.admin('INSERT INTO t_unreadable VALUES ($1, $2, $3, $4, $5)', [id, `企业${id}`, `91420200MA4${id}`, 'v1', id === BAD ? Buffer.from([0xff, 0xd8, 0x00]) : null]);
  }
  await expectRowLevel(t, createPostgresSource(postgresSourceOptions(server)));
});

t.test('MariaDB: a BLOB in one row', { skip: mariadbBinaries() ? false : 'no MariaDB binaries' }, async (t) => {
  const server = await startMariadb(t);
  await server.admin('CREATE TABLE t_unreadable (id INT PRIMARY KEY, party_name VARCHAR(50), credit_code VARCHAR(20), content VARCHAR(20), photo BLOB)');
  for (let id = 1; id <= ROWS; id++) {
    await server.admin('INSERT INTO t_unreadable VALUES (?, ?, ?, ?, ?)', [id, `企业${id}`, `91420200MA4${id}`, 'v1', id === BAD ? Buffer.from([0xff, 0xd8, 0x00]) : null]);
  }
  await expectRowLevel(
    t,
    createMysqlSource({ kind: 'mysql', name: 'biz', host: server.host, port: server.port, database: server.database, user: server.readOnlyUser, password: server.readOnlyPassword }),
  );
});
