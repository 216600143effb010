import t from 'tap';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createSqliteSource } from '../../../connectors/sqlite/index.js';
import { keysetPredicate } from '../../../connectors/sql/keyset.js';
import { unreadableValue, type Row, type Source } from '../../../connectors/contract.js';

function makeDb(dir: string): string {
  const file = join(dir, 'biz.sqlite');
  const db = new Database(file);
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL, name TEXT, amount TEXT, big INTEGER, blob BLOB)`);
  const insert = db.prepare('INSERT INTO t (id, updated_at, name, amount, big) VALUES (?, ?, ?, ?, ?)');
  // Rows 1..5 share one timestamp: ties must be broken by id, none lost.
  for (let i = 1; i <= 5; i++) insert.run(i, '2026-01-01T00:00:00Z', `n${i}`, '12.50', null);
  for (let i = 6; i <= 12; i++) insert.run(i, `2026-01-0${(i % 7) + 2}T00:00:00Z`, `n${i}`, '0.1', 9007199254740993n);
  db.close();
  return file;
}

async function readAll(source: Source, pageSize: number): Promise<Row[]> {
  const all: Row[] = [];
  let after: Row[keyof Row][] | null = null;
  for (;;) {
    const page = await source.readPage({ query: 'SELECT id, updated_at, name, amount, big FROM t', cursorColumns: ['updated_at', 'id'], after, limit: pageSize });
    all.push(...page);
    if (page.length < pageSize) return all;
    const last = page[page.length - 1]!;
    after = [last.updated_at!, last.id!];
  }
}

t.test('keyset pages read every row exactly once, ties included, whatever the page size', async (t) => {
  const source = createSqliteSource({ name: 'biz', file: makeDb(t.testdir({})) });
  await source.open();
  for (const size of [1, 2, 3, 5, 100]) {
    const ids = (await readAll(source, size)).map((r) => r.id);
    t.same([...ids].sort((a, b) => Number(a) - Number(b)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], `page size ${size}`);
  }
  await source.close();
});

t.test('values are normalised: big integers exact as strings, decimals untouched', async (t) => {
  const source = createSqliteSource({ name: 'biz', file: makeDb(t.testdir({})) });
  await source.open();
  const rows = await readAll(source, 100);
  const row = rows.find((r) => r.id === 6)!;
  t.equal(row.big, '9007199254740993');
  t.equal(row.amount, '0.1');
  t.equal(rows.find((r) => r.id === 1)!.big, null);
  await source.close();
});

t.test('the source never writes: a writing statement in the query is refused before it reaches the database', async (t) => {
  const file = makeDb(t.testdir({}));
  const source = createSqliteSource({ name: 'biz', file });
  await source.open();
  await t.rejects(
    source.readPage({ query: 'SELECT * FROM t; DELETE FROM t', cursorColumns: ['id'], after: null, limit: 10 }),
    { code: 'SOURCE_STATEMENT_REFUSED' },
  );
  const db = new Database(file, { fileMustExist: true });
  t.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 12, 'no row deleted');
  db.close();
  await source.close();
});

t.test('a missing database file is SOURCE_UNAVAILABLE, not a new empty database', async (t) => {
  const source = createSqliteSource({ name: 'biz', file: join(t.testdir({}), 'missing.sqlite') });
  await t.rejects(source.open(), { code: 'SOURCE_UNAVAILABLE' });
});

t.test('binary columns are refused with the column name', async (t) => {
  const file = makeDb(t.testdir({}));
  const db = new Database(file);
  db.prepare('UPDATE t SET blob = ? WHERE id = 1').run(Buffer.from([1, 2]));
  db.close();
  const source = createSqliteSource({ name: 'biz', file });
  await source.open();
  const rows = await source.readPage({ query: 'SELECT * FROM t', cursorColumns: ['id'], after: null, limit: 10 });
  const row = rows.find((r) => r.id === 1)!;
  t.equal(row.blob, null, 'bytes are never passed on');
  t.match(unreadableValue(row, 'blob'), { code: 'SOURCE_BINARY_COLUMN', detail: /blob/ }, 'the row carries them marked unreadable, naming the column');
  await source.close();
});

t.test('a cursor column missing from the query result is reported', async (t) => {
  const source = createSqliteSource({ name: 'biz', file: makeDb(t.testdir({})) });
  await source.open();
  await t.rejects(source.readPage({ query: 'SELECT id FROM t', cursorColumns: ['updated_at'], after: null, limit: 10 }), {
    code: /SOURCE_(CURSOR_COLUMN_MISSING|QUERY_FAILED)/,
  });
  await source.close();
});

t.test('the keyset predicate is an OR-chain with ties broken column by column', async (t) => {
  const sql = keysetPredicate(['"ts"', '"id"'], ['T', 7], (i) => `$${i}`);
  t.equal(sql.where, '("ts" > $1) OR ("ts" = $2 AND "id" > $3)');
  t.same(sql.params, ['T', 'T', 7]);
});

t.test('timestamps finer than milliseconds: a source resumed on every page from the stored exact position reads each row once', async (t) => {
  const file = join(t.testdir({}), 'micro.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE m (id INTEGER PRIMARY KEY, ts TIMESTAMP(6) NOT NULL)');
  // Five rows inside one millisecond, then two later ones.
  for (let i = 1; i <= 5; i++) db.prepare('INSERT INTO m VALUES (?, ?)').run(i, `2017-06-02 08:30:00.123${i}00`);
  db.prepare('INSERT INTO m VALUES (?, ?)').run(6, '2017-06-02 08:30:00.124000');
  db.prepare('INSERT INTO m VALUES (?, ?)').run(7, '2017-06-02 08:30:01.000000');
  db.close();
  const seen: number[] = [];
  let after: Row[keyof Row][] | null = null;
  let pages = 0;
  for (; pages < 20; pages++) {
    // A new source for every page: nothing of the last read is left but the position the store keeps, as after a restart.
    const source = createSqliteSource({ name: 'biz', file });
    await source.open();
    const page = await source.readPage({ query: 'SELECT id, ts FROM m', cursorColumns: ['ts', 'id'], after, limit: 2 });
    await source.close();
    seen.push(...page.map((r) => r.id as number));
    if (page.length < 2) break;
    after = source.positionOf!(page[page.length - 1]!, ['ts', 'id']);
    if (pages === 0) t.same(after, ['2017-06-02T00:30:00.123200Z', 2], 'the position keeps the digits the row value drops');
  }
  t.ok(pages < 20, `paging ended (after ${pages + 1} pages)`);
  t.same(seen, [1, 2, 3, 4, 5, 6, 7], 'every row read once, in order');
});

t.test('a DATETIME column of undeclared precision: more rows than a page share one spelling with trailing zeros, resumed from the stored position each page', async (t) => {
  const file = join(t.testdir({}), 'zeros.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE z (id INTEGER PRIMARY KEY, ts DATETIME NOT NULL)');
  for (let i = 1; i <= 5; i++) db.prepare('INSERT INTO z VALUES (?, ?)').run(i, '2017-06-02 08:30:00.123200');
  db.prepare('INSERT INTO z VALUES (?, ?)').run(6, '2017-06-02 08:30:01');
  db.close();
  const seen: number[] = [];
  let after: Row[keyof Row][] | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const source = createSqliteSource({ name: 'biz', file });
    await source.open();
    const page = await source.readPage({ query: 'SELECT id, ts FROM z', cursorColumns: ['ts', 'id'], after, limit: 2 });
    await source.close();
    seen.push(...page.map((r) => r.id as number));
    if (page.length < 2) break;
    after = source.positionOf!(page[page.length - 1]!, ['ts', 'id']);
  }
  t.same(seen, [1, 2, 3, 4, 5, 6], 'every row once: the position binds back the very text SQLite compares');
});

t.test('a SQLite file has no server zone: the configured timeZone (how zone-less text is read) is never called a mismatch', async (t) => {
  const { zoneWarnings } = await import('../../../gateway/jobs/warnings.js');
  const source = createSqliteSource({ name: 'biz', file: makeDb(t.testdir({})), timeZone: 'Asia/Shanghai' });
  await source.open();
  t.teardown(() => source.close());
  const facts = await source.facts();
  t.equal(facts.timeZone, null, 'no zone is reported (SQLite\'s UTC clock is not a zone the data was written in)');
  const probe = await source.probe('SELECT id, updated_at, name FROM t', ['updated_at', 'id']);
  for (const zone of ['Asia/Shanghai', 'UTC', '+08:00']) {
    t.same(zoneWarnings({ facts, timeZone: zone, probe }), [], `timeZone ${zone}: no TIME_ZONE_MISMATCH`);
  }
});
