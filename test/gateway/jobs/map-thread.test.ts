import t, { type Test } from 'tap';
import type { JobConfig } from '../../../config/schema.js';
import { markUnreadable, type Row } from '../../../connectors/contract.js';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { mapRowFor } from '../../../gateway/jobs/job-mapper.js';
import { MapThread, pageMapper, THREAD_MIN_FULL_PAGE_ROWS, THREAD_MIN_ROWS, type MapThreadInit } from '../../../gateway/jobs/map-thread.js';
import { mapRows } from '../../../gateway/jobs/runner.js';
import { recordLine } from '../../../gateway/records/serialize.js';
import { unpackPageLines } from '../../../gateway/store/outbox-chunks.js';
import { withSeq } from '../../../gateway/store/outbox-lines.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { createPenaltyDb, TEST_PENALTY_FIELDS } from '../../helpers/business-db.js';
import { GATEWAY_ID, openSqlite, PENALTIES, QUERY } from './helpers.js';

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
  const mapper = pageMapper((row, at) => (calls++, counting(row, at)), INIT, undefined, pageSize);
  t.teardown(() => mapper.close());
  const short = await mapper.mapPage(rows.slice(0, pageSize - 1), OBSERVED_AT);
  t.equal(calls, pageSize - 1, 'a page the source could not fill (the end of what changed) was mapped here');
  t.notOk(short.lines);
  const full = await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(calls, pageSize - 1, 'the full page was not: it went to the thread');
  t.ok(full.lines, 'which wrote its lines as one stream');
  t.equal(full.records.length + full.rejections.length, pageSize);

  const tiny = pageMapper(counting, INIT, undefined, 10);
  t.teardown(() => tiny.close());
  t.notOk((await tiny.mapPage(rows.slice(0, 10), OBSERVED_AT)).lines, 'a full page of a very small page size is not worth a thread');
});

t.test('a mapping thread that cannot start does not stop the job: its pages are mapped on the main thread, and it is reported once', async (t) => {
  const rows = await pageOf(t, THREAD_MIN_ROWS);
  const failures: Error[] = [];
  // A job that cannot be copied to a thread: the thread fails as it starts.
  const mapper = pageMapper(mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards }), { ...INIT, job: { ...INIT.job, uncopyable: () => 1 } as never }, (err) => failures.push(err));
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
  const mapper = pageMapper(mapRowFor(INIT.job, INIT.standard, { gatewayId: GATEWAY_ID, standards }), { ...INIT, job: null as never }, (err) => failures.push(err));
  t.teardown(() => mapper.close());
  const page = await mapper.mapPage(rows, OBSERVED_AT);
  t.equal(page.records.length + page.rejections.length, THREAD_MIN_ROWS, 'every row mapped');
  t.equal(failures.length, 1);
  t.match(failures[0], { code: 'JOB_MAPPING_THREAD_FAILED' });
});
