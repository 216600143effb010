import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIncremental } from '../../../gateway/jobs/runner.js';
import { runSnapshot, type SnapshotJob } from '../../../gateway/jobs/snapshot.js';
import { recordId } from '../../../gateway/records/record-id.js';
import type { Store } from '../../../gateway/store/store.js';
import { createPenaltyDb, updateRows } from '../../helpers/business-db.js';
import { DELETE_FINGERPRINT, DroppingSource, GATEWAY_ID, mapPenalty, openSqlite, openStore, QUERY, queued } from './helpers.js';
import { programBesideTest } from '../../helpers/beside.js';

const job = (pageSize = 10): SnapshotJob => ({ name: 'penalties', query: QUERY, key: ['id'], pageSize, mapRow: mapPenalty });
const idOf = (key: number) => recordId(GATEWAY_ID, 'P07-002', String(key));
const isDeleted = (store: Store, key: number) => store.recordState(idOf(key))?.fingerprint === DELETE_FINGERPRINT;

async function setup(t: Test, rows: number, invalid: number[] = []) {
  const dir = t.testdir({});
  const business = createPenaltyDb(dir, rows, { invalid });
  const store = openStore(dir);
  const source = await openSqlite(business.file);
  t.teardown(async () => {
    await source.close();
    business.db.close();
    store.close();
  });
  return { dir, business, store, source };
}

t.test('a complete run sends only what changed, and a delete for every row no longer there', async (t) => {
  const { business, store, source } = await setup(t, 45, [7]);
  const first = await runSnapshot(job(), { source, store });
  t.match(first, { complete: true, rowsRead: 45, queued: 44, rejected: 1, deleted: 0, pages: 5 });
  queued(store);

  business.db.prepare('DELETE FROM t_penalty WHERE id IN (3, 4, 40)').run();
  updateRows(business.db, [5], 'v2');
  const second = await runSnapshot(job(), { source, store });
  t.match(second, { complete: true, rowsRead: 42, queued: 1, unchanged: 40, rejected: 1, deleted: 3 });
  const sent = queued(store);
  t.same(sent.filter((r) => r.op === 'upsert').map((r) => r.id), [idOf(5)], 'the changed row');
  t.same(sent.filter((r) => r.op === 'delete').map((r) => r.id).sort(), [idOf(3), idOf(4), idOf(40)].sort(), 'deletes under the same record ids');
  t.notOk(isDeleted(store, 7), 'a row still there but failing its checks is not deleted');

  const third = await runSnapshot(job(), { source, store });
  t.match(third, { queued: 0, deleted: 0 }, 'a deleted row is deleted once');
  t.same(queued(store), []);
});

t.test('a snapshot of an incremental job leaves the incremental cursor where it was', async (t) => {
  const { business, store, source } = await setup(t, 20);
  await runIncremental({ name: 'penalties', query: QUERY, cursor: ['updated_at', 'id'], pageSize: 7, mapRow: mapPenalty }, { source, store });
  const cursor = store.getCursor('penalties');
  business.db.prepare('DELETE FROM t_penalty WHERE id = 2').run();
  const run = await runSnapshot(job(7), { source, store });
  t.equal(run.deleted, 1);
  t.same(store.getCursor('penalties'), cursor);
});

t.test('an interrupted run sends no delete', async (t) => {
  t.test('stopped between pages', async (t) => {
    const { business, store, source } = await setup(t, 45);
    await runSnapshot(job(), { source, store });
    queued(store);
    business.db.prepare('DELETE FROM t_penalty WHERE id IN (1, 44)').run();
    const stop = new AbortController();
    const run = await runSnapshot(job(), { source, store, signal: stop.signal, onPage: () => stop.abort() });
    t.match(run, { complete: false, pages: 1, deleted: 0 });
    t.same(queued(store), [], 'nothing is sent');
    t.notOk(isDeleted(store, 44) || isDeleted(store, 1));

    const complete = await runSnapshot(job(), { source, store });
    t.equal(complete.deleted, 2, 'the next complete run sends them');
  });

  t.test('the connection dropped mid-run', async (t) => {
    const { business, store, source } = await setup(t, 45);
    await runSnapshot(job(), { source, store });
    queued(store);
    business.db.prepare('DELETE FROM t_penalty WHERE id IN (1, 44)').run();
    const dropping = new DroppingSource(await openSqlite(business.file), 2);
    await t.rejects(runSnapshot(job(), { source: dropping, store }), { code: 'SOURCE_NOT_OPEN' });
    t.same(queued(store), [], 'nothing is sent');
    t.equal((await runSnapshot(job(), { source, store })).deleted, 2);
  });

  t.test('the process killed mid-run', async (t) => {
    const { dir, business, store, source } = await setup(t, 300);
    await runSnapshot(job(), { source, store });
    store.close();
    business.db.prepare('DELETE FROM t_penalty WHERE id IN (3, 150, 299)').run();
    const fixture = programBesideTest(import.meta.url, './fixtures/snapshot-run.ts');
    // The TypeScript loader this test runs under; the process-tracking hook would only get in the way of kill -9.
    const loader = process.execArgv.filter((arg) => !arg.includes('@tapjs/processinfo'));
    const run = () => spawn(process.execPath, [...loader, fixture, business.file, dir], { stdio: ['ignore', 'pipe', 'pipe'] });

    const child = run();
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if ((out.match(/page/g) ?? []).length >= 3) resolve();
      });
      void exited.then(() => reject(new Error(`the run ended before it was killed: ${stderr}`)));
    });
    child.kill('SIGKILL');
    t.equal(await exited, 'SIGKILL', 'killed in the middle of its pages');

    const after = openStore(dir);
    t.teardown(() => after.close());
    t.same(queued(after).filter((r) => r.op === 'delete'), [], 'no delete was queued');
    t.notOk([3, 150, 299].some((k) => isDeleted(after, k)));
    t.equal((await runSnapshot(job(), { source, store: after })).deleted, 3, 'the next complete run sends them');
  });
});
