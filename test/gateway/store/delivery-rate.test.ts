import t from 'tap';
import { BIG, idFor, newId, openStore, page, rec } from './helpers.js';

/** Queues the keys for the job and has the platform accept all but `refused` at `at`. */
function deliver(store: ReturnType<typeof openStore>['store'], job: string, keys: string[], at: string, refused: string[] = []) {
  store.commitPage(page(job, keys.map((k) => rec(k, { NAME: `${k} at ${at}` }))));
  const batch = store.nextBatch(BIG, newId)!;
  store.acknowledge(batch.batchId, { rejected: refused.map((k) => ({ id: idFor(k), code: 'P', message: 'p' })), at });
}

t.test('records accepted within a window are counted, refused ones are not', async (t) => {
  const { store } = openStore(t);
  deliver(store, 'penalties', ['1', '2', '3'], '2026-11-26T12:00:10.000Z', ['3']);
  deliver(store, 'penalties', ['4', '5'], '2026-11-26T12:30:59.000Z');
  deliver(store, 'licences', ['6'], '2026-11-26T13:15:00.000Z');
  t.equal(store.deliveredBetween('2026-11-26T12:00:00.000Z', '2026-11-26T13:59:59.000Z'), 5);
  t.equal(store.deliveredBetween('2026-11-26T12:00:00.000Z', '2026-11-26T12:59:59.999Z'), 4);
  t.equal(store.deliveredBetween('2026-11-26T13:00:00.000Z', '2026-11-26T14:00:00.000Z'), 1);
  t.equal(store.deliveredBetween('2026-11-26T14:00:00.000Z', '2026-11-26T15:00:00.000Z'), 0);
});

t.test('the hour ending now is the current minute and the 59 before it', async (t) => {
  const { store } = openStore(t);
  deliver(store, 'penalties', ['1'], '2026-11-26T11:30:50.000Z');
  deliver(store, 'penalties', ['2'], '2026-11-26T11:31:05.000Z');
  deliver(store, 'penalties', ['3'], '2026-11-26T12:30:20.000Z');
  const now = new Date('2026-11-26T12:30:30.000Z');
  t.equal(store.deliveredBetween(new Date(now.getTime() - 3_600_000).toISOString(), now.toISOString()), 2,
    'the minute that began before the window is left out whole');
  t.equal(store.deliveredBetween('2026-11-26T13:00:00.000Z', '2026-11-26T12:00:00.000Z'), 0, 'an empty window');
});

t.test('minutes older than 48 hours are pruned as deliveries go on', async (t) => {
  const { store } = openStore(t);
  deliver(store, 'penalties', ['1'], '2026-11-24T11:00:00.000Z');
  t.equal(store.deliveredBetween('2026-11-24T00:00:00.000Z', '2026-11-24T23:59:00.000Z'), 1);
  deliver(store, 'penalties', ['2'], '2026-11-26T12:00:00.000Z');
  t.equal(store.deliveredBetween('2026-11-24T00:00:00.000Z', '2026-11-24T23:59:00.000Z'), 0);
  t.equal(store.deliveredBetween('2026-11-26T00:00:00.000Z', '2026-11-26T23:59:00.000Z'), 1);
});

t.test('records waiting for the platform, per job', async (t) => {
  const { store } = openStore(t);
  t.same(store.pendingByJob(), new Map());
  store.commitPage(page('penalties', [rec('1'), rec('2')]));
  store.commitPage(page('hr:folder', [rec('3'), rec('4'), rec('5')]));
  t.same(store.pendingByJob(), new Map([['hr:folder', 3], ['penalties', 2]]));

  const batch = store.nextBatch({ maxRecords: 3, maxBytes: BIG.maxBytes }, newId)!;
  t.same(store.pendingByJob(), new Map([['hr:folder', 3], ['penalties', 2]]), 'a batch sent but not answered still waits');
  store.acknowledge(batch.batchId, { rejected: [], at: '2026-11-26T12:00:00.000Z' });
  t.same(store.pendingByJob(), new Map([['hr:folder', 2]]));
});
