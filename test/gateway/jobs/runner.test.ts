import t, { type Test } from 'tap';
import type { PageRequest, Row, Source } from '../../../connectors/contract.js';
import { mapRows, runIncremental, type IncrementalJob } from '../../../gateway/jobs/runner.js';
import { readWindow } from '../../../gateway/jobs/window.js';
import { createPenaltyDb, updateRows } from '../../helpers/business-db.js';
import { DroppingSource, mapPenalty, openSqlite, openStore, QUERY, queued } from './helpers.js';

const job = (pageSize: number): IncrementalJob => ({ name: 'penalties', query: QUERY, cursor: ['updated_at', 'id'], pageSize, mapRow: mapPenalty });

function setup(t: Test, rows: number) {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, rows);
  const store = openStore(dir);
  t.teardown(() => {
    business.db.close();
    store.close();
  });
  return { dir, business, store };
}

t.test('every row is read once across pages, ties on the timestamp broken by the key', async (t) => {
  const { business, store } = setup(t, 100);
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  const run = await runIncremental(job(10), { source, store });
  t.equal(run.rowsRead, 100);
  t.equal(run.queued, 100);
  t.equal(run.complete, true);
  t.equal(new Set(queued(store).map((r) => r.id)).size, 100, 'one record per row');
  const last = business.db.prepare('SELECT updated_at, id FROM t_penalty ORDER BY updated_at DESC, id DESC LIMIT 1').get() as { updated_at: string; id: number };
  t.same(store.getCursor('penalties'), [last.updated_at, last.id], 'the cursor stands on the last row');
  t.equal((await runIncremental(job(10), { source, store })).rowsRead, 0, 'the next run reads nothing new');
});

t.test('a connection dropped mid-run keeps the last committed cursor and nothing of the failed page; the next run resumes', async (t) => {
  const { business, store } = setup(t, 100);
  const dropping = new DroppingSource(await openSqlite(business.file), 3);
  await t.rejects(runIncremental(job(10), { source: dropping, store }), { code: 'SOURCE_NOT_OPEN' });
  const cursor = store.getCursor('penalties');
  t.equal(cursor?.[1], 30, 'the cursor stands after the third page, the last one committed');
  t.equal(store.lastSeq(), 30, 'nothing of the failed page was kept');
  t.equal(store.totals().total.rowsRead, 30);

  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  const resumed = await runIncremental(job(10), { source, store });
  t.equal(resumed.rowsRead, 70, 'the next run reads only what was left');
  const records = queued(store);
  t.equal(records.length, 100);
  t.equal(new Set(records.map((r) => r.id)).size, 100, 'every row exactly once');
  t.equal(store.lastSeq(), 100, 'no seq taken twice');
});

t.test('a run reads up to the bound it is given and leaves later rows for the next run', async (t) => {
  const { business, store } = setup(t, 30);
  const sqlite = await openSqlite(business.file);
  t.teardown(() => sqlite.close());
  const seen: PageRequest[] = [];
  // The bound is the connector's to apply; this source applies it as the contract says, to the first cursor column.
  const bounded: Source = {
    name: 'biz', kind: 'sqlite', open: async () => undefined, close: async () => undefined,
    facts: () => sqlite.facts(), probe: (q, c) => sqlite.probe(q, c),
    async readPage(request) {
      seen.push(request);
      const rows = await sqlite.readPage({ ...request, limit: 1_000_000 });
      return rows.filter((r: Row) => request.through === undefined || String(r.updated_at) <= String(request.through)).slice(0, request.limit);
    },
  };
  const through = '2026-01-01T00:00:02.000Z';
  const first = await runIncremental(job(5), { source: bounded, store }, { after: null, through });
  t.ok(seen.every((r) => r.through === through), 'every page carries the bound');
  t.equal(first.rowsRead, 20, 'rows stamped up to the bound: ids 1–20');
  const second = await runIncremental(job(5), { source: bounded, store }, { after: store.getCursor('penalties'), through: '2026-01-01T00:01:00.000Z' });
  t.equal(second.rowsRead, 10, 'the rest on the next run');
});

t.test('a look-back window re-reads recent rows and sends nothing again, and leaves the cursor where it was', async (t) => {
  const { business, store } = setup(t, 70);
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  await runIncremental(job(10), { source, store });
  const stored = store.getCursor('penalties');
  const before = queued(store).length;
  const window = readWindow({
    columns: ['updated_at', 'id'], stored, kind: 'timestamp', databaseNow: (await source.facts()).now,
    fractionalDigits: null, safetyLagSecs: 0, lookbackSecs: 3,
  });
  const again = await runIncremental(job(10), { source, store }, window);
  // Seven rows share each second; the last is at 00:00:10, so the window (00:00:07, …] holds ids 56–70.
  t.equal(again.rowsRead, 15, 'the rows of the last 3 s were read again');
  t.equal(again.queued, 0, 'none of them is sent again');
  t.equal(again.unchanged, again.rowsRead);
  t.same(store.getCursor('penalties'), stored, 'the cursor did not move back');
  t.equal(before, 70);
  t.same(queued(store), [], 'the outbox holds nothing new');

  updateRows(business.db, [3, 4], 'v2', new Date('2026-06-01T00:00:00.000Z'));
  const changed = await runIncremental(job(10), { source, store }, readWindow({
    columns: ['updated_at', 'id'], stored: store.getCursor('penalties'), kind: 'timestamp', databaseNow: (await source.facts()).now,
    fractionalDigits: null, safetyLagSecs: 0, lookbackSecs: 3,
  }));
  t.equal(changed.queued, 2, 'changed rows in and after the window are sent');
  t.same(store.getCursor('penalties'), ['2026-06-01T00:00:00.001Z', 4]);
});

t.test('a stored cursor that does not fit the cursor columns stops the run with a code', async (t) => {
  const { business, store } = setup(t, 5);
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  await runIncremental(job(10), { source, store });
  await t.rejects(runIncremental({ ...job(10), cursor: ['updated_at', 'party_name', 'id'] }, { source, store }), { code: 'JOB_CURSOR_MISMATCH' });
});

t.test('a stopped run ends between pages with its pages committed', async (t) => {
  const { business, store } = setup(t, 50);
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  const stop = new AbortController();
  let pages = 0;
  const run = await runIncremental(job(10), { source, store, signal: stop.signal, onPage: () => { if (++pages === 2) stop.abort(); } });
  t.equal(run.complete, false);
  t.equal(run.rowsRead, 20);
  t.equal(store.getCursor('penalties')?.[1], 20);
});

t.test('pages mapped elsewhere are committed one at a time and in order, whichever mapping finishes first', async (t) => {
  const { business, store } = setup(t, 100);
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  let pages = 0;
  // Every other page takes longer to map, so a later page's mapping finishes first.
  const mapPage = async (rows: Row[], at: string) => {
    await new Promise((resolve) => setTimeout(resolve, pages++ % 2 === 0 ? 30 : 0));
    return mapRows(mapPenalty, rows, at);
  };
  const cursors: unknown[] = [];
  const run = await runIncremental({ ...job(10), mapPage }, { source, store, onPage: () => cursors.push(store.getCursor('penalties')?.[1]) });
  t.same(cursors, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 'each commit moves the cursor one page on');
  t.equal(run.queued, 100);
  t.equal(run.complete, true);
  t.same(queued(store).map((r) => r.seq), Array.from({ length: 100 }, (_, i) => i + 1), 'records queued in the order of their rows');
});

t.test('a run stopped while the next page is read and mapped keeps only what it committed, and the next run goes on from there', async (t) => {
  const { business, store } = setup(t, 100);
  const source = await openSqlite(business.file);
  t.teardown(() => source.close());
  const stop = new AbortController();
  const run = await runIncremental({ ...job(10), mapPage: async (rows, at) => mapRows(mapPenalty, rows, at) }, {
    source, store, signal: stop.signal, onPage: (r) => (store.getCursor('penalties')?.[1] === 30 ? stop.abort() : r),
  });
  t.equal(run.complete, false);
  t.equal(run.rowsRead, 30, 'three pages read and committed');
  t.equal(store.getCursor('penalties')?.[1], 30);
  t.equal(store.lastSeq(), 30, 'nothing of the page in flight was kept');
  const resumed = await runIncremental(job(10), { source, store });
  t.equal(resumed.rowsRead, 70);
  t.equal(new Set(queued(store).map((r) => r.id)).size, 100, 'every row exactly once');
});
