import Database from 'better-sqlite3';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { JobConfig } from '../../../config/schema.js';
import { markUnreadable, type Row, type Source } from '../../../connectors/contract.js';
import { ConnectorError } from '../../../connectors/errors.js';
import { createMysqlSource } from '../../../connectors/mysql/index.js';
import { createPostgresSource } from '../../../connectors/postgres/index.js';
import type { MysqlSourceOptions, PostgresSourceOptions, SourceOptions } from '../../../connectors/options.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { mapRowFor } from '../../../gateway/jobs/job-mapper.js';
import { MapThread, pageMapper, readError, THREAD_MIN_FULL_PAGE_ROWS, THREAD_MIN_ROWS, type MapThreadInit } from '../../../gateway/jobs/map-thread.js';
import { mapRows, runIncremental } from '../../../gateway/jobs/runner.js';
import { recordLine } from '../../../gateway/records/serialize.js';
import { unpackPageLines } from '../../../gateway/store/outbox-chunks.js';
import { withSeq } from '../../../gateway/store/outbox-lines.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import type { Store } from '../../../gateway/store/store.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS } from '../../helpers/business-db.js';
import { mariadbBinaries, startMariadb } from '../../helpers/mariadb.js';
import { postgresBinDir, postgresSourceOptions, startPostgres } from '../../helpers/postgres.js';
import { GATEWAY_ID, openSqlite, openStore, PENALTIES, QUERY, queued } from './helpers.js';

const standards = loadStandards();
const JOB = { ...PENALTIES, fields: TEST_PENALTY_FIELDS, source: 'biz', query: QUERY, cursor: ['updated_at', 'id'] } as unknown as JobConfig;
const INIT: MapThreadInit = {
  job: JOB, standard: standards.standardFor(loadCatalog().byCode('P07-002')!), gatewayId: GATEWAY_ID, codeTables: standards.codeTables,
};
const OBSERVED_AT = '2026-12-07T08:00:00.000Z';

async function pageOf(t: Test, rows: number): Promise<Row[]> {
  const business = createPenaltyDb(t.testdir({}), rows, { invalid: [13, 700] });
  t.teardown(() => business.db.close());
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  return source.readPage({ query: QUERY, cursorColumns: ['updated_at', 'id'], after: null, limit: rows });
}

t.test('a page mapped on the thread is the page mapped on the main thread, record for record and rejection for rejection', async (t) => {
  const rows = await pageOf(t, 1200);
  // A value the source could not read rejects its row on either thread (the mark is not part of the row's values).
  markUnreadable(rows[41]!, { column: 'content', code: 'SOURCE_VALUE_UNREADABLE', detail: 'content (geometry)' });
  const here = mapRows(mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards }), rows, OBSERVED_AT);
  const thread = MapThread.open(INIT);
  t.teardown(() => thread.close());
  const there = await thread.map(rows, OBSERVED_AT);
  t.equal(there.records.length, 1197, 'every good row became a record');
  t.same(there.rejections.map((r) => r.findings.map((f) => f.code)).sort(), here.rejections.map((r) => r.findings.map((f) => f.code)).sort());
  t.equal(there.rejections.length, 3, 'the two rows with a wrong credit code and the unreadable one are rejected');
  t.ok(there.rejections.some((r) => r.findings.some((f) => f.code === 'VALUE_UNREADABLE')), 'the unreadable value is reported as such');
  t.same(there.rejections, here.rejections, 'rejections are identical, findings and all');
  const identity = (r: { id: string; key: string; fingerprint: string; op: string; category: string; observedAt: string }) => [r.id, r.key, r.fingerprint, r.op, r.category, r.observedAt];
  t.same(there.records.map(identity), here.records.map(identity), 'records carry the same ids, keys and fingerprints');
  t.notOk(there.records.some((r) => 'data' in r || 'subject' in r), 'and no content beside their line');
  const queued = unpackPageLines(there.lines!.deflated, there.records.length).map((text, i) => withSeq(text, i + 1));
  t.same(queued, here.records.map((r, i) => recordLine(r, i + 1)), 'the page\'s lines, once given their seqs, are byte for byte the lines written here');
  t.same(there.lines!.bytes.map((b, i) => b + String(i + 1).length), here.records.map((r, i) => Buffer.byteLength(recordLine(r, i + 1))), 'and weigh what they will on the wire');
});

t.test('pages sent together come back each to its own caller', async (t) => {
  const rows = await pageOf(t, 300);
  const thread = MapThread.open(INIT);
  t.teardown(() => thread.close());
  const [a, b, c] = await Promise.all([thread.map(rows.slice(0, 100), OBSERVED_AT), thread.map(rows.slice(100, 200), OBSERVED_AT), thread.map(rows.slice(200), OBSERVED_AT)]);
  t.same([a, b, c].map((p) => p.records[0]?.key), ['1', '101', '201']);
});

t.test('a thread that stopped fails its pages with JOB_MAPPING_THREAD_FAILED, never with an empty page', async (t) => {
  const rows = await pageOf(t, 10);
  const thread = MapThread.open(INIT);
  const pending = thread.map(rows, OBSERVED_AT);
  await thread.close();
  await t.rejects(pending, { code: 'JOB_MAPPING_THREAD_FAILED' }, 'the page in flight');
  await t.rejects(thread.map(rows, OBSERVED_AT), { code: 'JOB_MAPPING_THREAD_FAILED' }, 'and any page after');
});

t.test('a poll that finds a few rows is mapped on the main thread; a full page starts the thread', async (t) => {
  const rows = await pageOf(t, THREAD_MIN_ROWS);
  let calls = 0;
  const counting = mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards });
  const mapper = pageMapper((row, at) => (calls++, counting(row, at)), INIT);
  t.teardown(() => mapper.close());
  const small = await mapper.mapPage(rows.slice(0, 20), OBSERVED_AT);
  t.equal(calls, 20, 'the small page was mapped here');
  const full = await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(calls, 20, 'the full page was not');
  t.equal(full.records.length + full.rejections.length, THREAD_MIN_ROWS);
  t.same(small.records.map((r) => r.fingerprint), full.records.slice(0, small.records.length).map((r) => r.fingerprint), 'and both map alike');
  t.ok(full.lines && !small.lines, 'lines are made on the thread only');
});

t.test('with pages smaller than THREAD_MIN_ROWS (the default is 500), a full page of the job\'s size starts the thread; a page short of it does not', async (t) => {
  const pageSize = 500;
  t.ok(pageSize < THREAD_MIN_ROWS && pageSize >= THREAD_MIN_FULL_PAGE_ROWS);
  const rows = await pageOf(t, pageSize);
  let calls = 0;
  const counting = mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards });
  const mapper = pageMapper((row, at) => (calls++, counting(row, at)), INIT, { pageSize });
  t.teardown(() => mapper.close());
  const short = await mapper.mapPage(rows.slice(0, pageSize - 1), OBSERVED_AT);
  t.equal(calls, pageSize - 1, 'a page the source could not fill (the end of what changed) was mapped here');
  t.notOk(short.lines);
  const full = await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(calls, pageSize - 1, 'the full page was not: it went to the thread');
  t.ok(full.lines, 'which wrote its lines as one stream');
  t.equal(full.records.length + full.rejections.length, pageSize);

  const tiny = pageMapper(counting, INIT, { pageSize: 10 });
  t.teardown(() => tiny.close());
  t.notOk((await tiny.mapPage(rows.slice(0, 10), OBSERVED_AT)).lines, 'a full page of a very small page size is not worth a thread');
});

t.test('a mapping thread that cannot start does not stop the job: its pages are mapped on the main thread, and it is reported once', async (t) => {
  const rows = await pageOf(t, THREAD_MIN_ROWS);
  const failures: Error[] = [];
  // A job that cannot be copied to a thread: the thread fails as it starts.
  const mapper = pageMapper(mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards }), { ...INIT, job: { ...INIT.job, uncopyable: () => 1 } as never }, { onThreadFailed: (err) => failures.push(err) });
  t.teardown(() => mapper.close());
  const first = await mapper.mapPage(rows, OBSERVED_AT);
  const second = await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(first.records.length + first.rejections.length, THREAD_MIN_ROWS, 'every row mapped');
  t.same(second, first);
  t.notOk(first.lines, 'here, as a small page would be');
  t.equal(failures.length, 1);
  t.match(failures[0], { code: 'JOB_MAPPING_THREAD_FAILED' });
});

t.test('a thread that stops in the middle of a run leaves the rest of the run to the main thread', async (t) => {
  const rows = await pageOf(t, THREAD_MIN_ROWS);
  const failures: Error[] = [];
  // Its job function cannot map (no job): the thread answers every page with an error.
  const mapper = pageMapper(mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards }), { ...INIT, job: null as never }, { onThreadFailed: (err) => failures.push(err) });
  t.teardown(() => mapper.close());
  const page = await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(page.records.length + page.rejections.length, THREAD_MIN_ROWS, 'every row mapped');
  t.equal(failures.length, 1);
  t.match(failures[0], { code: 'JOB_MAPPING_THREAD_FAILED' });
});

/** A test's folders: the business database's, and one for each store. */
const folders = (t: Test) => {
  const dir = t.testdir({ business: {}, main: {}, thread: {}, other: {} });
  return { business: join(dir, 'business'), main: join(dir, 'main'), thread: join(dir, 'thread'), other: join(dir, 'other') };
};

/** Counts the pages the main thread reads itself. */
function countingReads(source: Source): { source: Source; reads: () => number } {
  let reads = 0;
  const counted = Object.create(source) as Source;
  counted.readPage = (request) => {
    reads++;
    return source.readPage(request);
  };
  counted.positionOf = source.positionOf?.bind(source);
  return { source: counted, reads: () => reads };
}

/** One bulk run of the job over `file`, its pages mapped (and, given `threadSource`, read) by a pageMapper. */
async function bulkRun(t: Test, storeDir: string, file: string | Source, threadSource: SourceOptions | undefined, events: { failed?: Error[]; readsOff?: Error[] } = {}) {
  const store = openStore(storeDir);
  t.teardown(() => store.close());
  const opened = typeof file === 'string' ? await openSqlite(file) : file;
  if (typeof file === 'string') t.teardown(() => opened.close());
  const { source, reads } = countingReads(opened);
  const mapRow = mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards });
  const mapper = pageMapper(mapRow, INIT, {
    pageSize: PAGE, source: () => threadSource, onThreadFailed: (err) => events.failed?.push(err), onThreadReadsOff: (err) => events.readsOff?.push(err),
  });
  t.teardown(() => mapper.close());
  const job = { name: 'penalties', query: QUERY, cursor: ['updated_at', 'id'], pageSize: PAGE, mapRow, mapPage: mapper.mapPage, readPage: mapper.readPage };
  const run = runIncremental(job, { source, store });
  return { run, store, reads };
}

const PAGE = 1000;
const ROWS = 5500;

/** What a run left in the store: each record's id, fingerprint and seq order, and the cursor. */
function stored(store: Store) {
  return { records: queued(store).map((r) => [r.id, r.op]), cursor: store.getCursor('penalties') };
}

t.test('given the source, the thread reads the pages of a bulk run after the first two, and the run stores exactly what a run reading on the main thread stores', async (t) => {
  const dir = folders(t);
  const business = createPenaltyDb(dir.business, ROWS, { invalid: [13, 2700] });
  t.teardown(() => business.db.close());
  const onMain = await bulkRun(t, dir.main, business.file, undefined);
  const mainRun = await onMain.run;
  const failed: Error[] = [];
  const readsOff: Error[] = [];
  const onThread = await bulkRun(t, dir.thread, business.file, { kind: 'sqlite', name: 'biz', file: business.file }, { failed, readsOff });
  const threadRun = await onThread.run;
  t.same(threadRun, mainRun, 'the same rows read, records queued and rejected, and the same cursor');
  t.equal(threadRun.rowsRead, ROWS);
  t.equal(onMain.reads(), 6, 'reading on the main thread: six pages, the last one short');
  t.equal(onThread.reads(), 2, 'with the source given: the first page (which starts the thread) and the one asked for before it was mapped');
  t.same(stored(onThread.store), stored(onMain.store), 'every record, in the same order, and the cursor');
  t.same([failed, readsOff], [[], []], 'and nothing went wrong on the way');
});

t.test('a thread that cannot open a session of its own leaves the reads to the main thread, says so once, and the run goes on', async (t) => {
  const dir = folders(t);
  const business = createPenaltyDb(dir.business, ROWS);
  t.teardown(() => business.db.close());
  const readsOff: Error[] = [];
  const failed: Error[] = [];
  const run = await bulkRun(t, dir.thread, business.file, { kind: 'sqlite', name: 'biz', file: join(dir.other, 'no-such.sqlite') }, { failed, readsOff });
  const summary = await run.run;
  t.equal(summary.rowsRead, ROWS, 'every row read');
  t.equal(summary.complete, true);
  t.equal(run.reads(), 6, 'all on the main thread');
  t.equal(readsOff.length, 1, 'reported once');
  t.match(readsOff[0]!.message, /could not open the source/);
  t.same(failed, [], 'the thread itself went on mapping');
});

t.test('a read that fails on the thread fails the run with the source\'s own error, and the pages before it are kept', async (t) => {
  const dir = folders(t);
  const business = createPenaltyDb(dir.business, ROWS);
  t.teardown(() => business.db.close());
  // The thread's session opens a database without the job's table: its first read fails as the main thread's would.
  const elsewhere = join(dir.other, 'other.sqlite');
  new Database(elsewhere).close();
  const run = await bulkRun(t, dir.thread, business.file, { kind: 'sqlite', name: 'biz', file: elsewhere });
  const failure = await run.run.then(() => null, (err: unknown) => err);
  const onMain = await openSqlite(elsewhere);
  t.teardown(() => onMain.close());
  const mainFailure = await onMain.readPage({ query: QUERY, cursorColumns: ['updated_at', 'id'], after: null, limit: PAGE }).then(() => null, (err: unknown) => err);
  t.ok(failure instanceof ConnectorError, 'a ConnectorError, as the main thread\'s read would throw');
  t.match(failure, { code: 'SOURCE_QUERY_FAILED', action: (mainFailure as ConnectorError).action });
  t.equal((failure as Error).message, (mainFailure as Error).message, 'in the same words');
  const cursor = run.store.getCursor('penalties');
  const second = business.db.prepare('SELECT updated_at, id FROM t_penalty ORDER BY updated_at, id LIMIT 1 OFFSET ?').get(2 * PAGE - 1) as { updated_at: string; id: number };
  t.same(cursor, [second.updated_at, second.id], 'the two pages read on the main thread were committed; nothing after');
});

/** The penalty rows of a business database, as VALUES for a server table (microseconds in each timestamp). */
function penaltyValues(business: { db: Database.Database }, from: number, count: number): { sql: string; params: unknown[] } {
  const rows = business.db.prepare('SELECT * FROM t_penalty ORDER BY id LIMIT ? OFFSET ?').all(count, from) as Record<string, string | number>[];
  return {
    sql: rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', '),
    params: rows.flatMap((r) => [r.id, r.party_name, r.credit_code, r.content, r.punish_date, `${String(r.updated_at).slice(0, 19).replace('T', ' ')}.${String(Number(r.id) % 7).padStart(6, '0')}`]),
  };
}

/** A bulk run over a server's t_penalty read on the main thread, then on the thread: the two must store the same. */
async function sameOnThread(t: Test, dir: ReturnType<typeof folders>, options: SourceOptions, open: (options: SourceOptions) => Source): Promise<void> {
  const opened = async () => {
    const source = open(options);
    await source.open();
    t.teardown(() => source.close());
    return source;
  };
  const onMain = await bulkRun(t, dir.main, await opened(), undefined);
  const mainRun = await onMain.run;
  const failed: Error[] = [];
  const readsOff: Error[] = [];
  const onThread = await bulkRun(t, dir.thread, await opened(), options, { failed, readsOff });
  t.same(await onThread.run, mainRun, 'the same rows read, records queued and rejected, and the same cursor');
  t.equal(mainRun.rowsRead, ROWS);
  t.equal(onThread.reads(), 2, 'the pages after the first two were read on the thread');
  t.match(mainRun.cursor?.[0], /\.\d{6}Z$/, 'the cursor keeps the microseconds');
  t.same(stored(onThread.store), stored(onMain.store), 'every record, in the same order');
  t.same([failed, readsOff], [[], []]);
}

t.test('on a real MariaDB server, pages read by the thread\'s own session (mysql2 in the thread) store what pages read on the main thread store', { skip: mariadbBinaries() ? false : 'mariadbd is not installed' }, async (t) => {
  const server = await startMariadb(t);
  const dir = folders(t);
  const business = createPenaltyDb(dir.business, ROWS, { invalid: [13, 2700] });
  t.teardown(() => business.db.close());
  await server.admin(`CREATE TABLE t_penalty (id INT PRIMARY KEY, party_name VARCHAR(100), credit_code CHAR(18), content VARCHAR(100), punish_date CHAR(8),
    updated_at DATETIME(6) NOT NULL, KEY t_penalty_cursor (updated_at, id)) DEFAULT CHARSET = utf8mb4`);
  for (let from = 0; from < ROWS; from += 500) {
    const { sql, params } = penaltyValues(business, from, 500);
    await server.admin(`INSERT INTO t_penalty VALUES ${sql}`, params);
  }
  await sameOnThread(t, dir, {
    kind: 'mysql', name: 'biz', host: server.host, port: server.port, database: server.database, user: server.readOnlyUser, password: server.readOnlyPassword, timeZone: 'Asia/Shanghai',
  }, (options) => createMysqlSource(options as MysqlSourceOptions));
});

t.test('on a real PostgreSQL server, the same (pg in the thread)', { skip: postgresBinDir() ? false : 'PostgreSQL is not installed' }, async (t) => {
  const server = await startPostgres(t);
  const dir = folders(t);
  const business = createPenaltyDb(dir.business, ROWS, { invalid: [13, 2700] });
  t.teardown(() => business.db.close());
  await server.admin(`CREATE TABLE t_penalty (id int4 PRIMARY KEY, party_name text, credit_code char(18), content text, punish_date char(8), updated_at timestamp(6) NOT NULL);
    CREATE INDEX t_penalty_cursor ON t_penalty (updated_at, id)`);
  for (let from = 0; from < ROWS; from += 500) {
    const { sql, params } = penaltyValues(business, from, 500);
    let n = 0;
    await server.admin(`INSERT INTO t_penalty VALUES ${sql.replace(/\?/g, () => `$${++n}`)}`, params);
  }
  await sameOnThread(t, dir, { ...postgresSourceOptions(server), timeZone: 'Asia/Shanghai' }, (options) => createPostgresSource(options as PostgresSourceOptions));
});

t.test('an error of a read on the thread reaches the main thread as the read there would have thrown it', async (t) => {
  const original = new ConnectorError('SOURCE_QUERY_FAILED', 'Table \'biz.t_penalty\' doesn\'t exist');
  const again = readError({ name: original.name, message: original.message, code: original.code });
  t.ok(again instanceof ConnectorError, 'a ConnectorError');
  t.match(again, { code: original.code, action: original.action, message: original.message, name: 'ConnectorError' }, 'its code, action and words, not its words twice');
  const driver = readError({ name: 'DriverError', message: 'ECONNRESET on read', code: 'ECONNRESET' });
  t.notOk(driver instanceof ConnectorError, 'a driver\'s own error stays one');
  t.match(driver, { name: 'DriverError', message: 'ECONNRESET on read', code: 'ECONNRESET' });
  t.match(readError({ name: 'TypeError', message: 'x is undefined' }), { name: 'TypeError', message: 'x is undefined' });
  t.notOk('code' in readError({ name: 'TypeError', message: 'x is undefined' }), 'no code where it had none');
});

t.test('the source\'s options (its secret resolved) are asked for once, when the thread starts, never for a poll mapped here', async (t) => {
  const rows = await pageOf(t, THREAD_MIN_ROWS);
  let asked = 0;
  const mapper = pageMapper(mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards }), INIT, { source: () => (asked++, undefined) });
  t.teardown(() => mapper.close());
  await mapper.mapPage(rows.slice(0, 20), OBSERVED_AT);
  t.equal(asked, 0, 'a few rows: no thread, no secret');
  await mapper.mapPage(rows, OBSERVED_AT);
  await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(asked, 1, 'once, for the thread');
});
