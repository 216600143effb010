import t from 'tap';
import { recordLine } from '../../../gateway/records/serialize.js';
import { BIG, T0, idFor, newId, openStore, page, rec } from './helpers.js';

const keys = (n: number, from = 1) => Array.from({ length: n }, (_, i) => String(from + i));
const ack = { rejected: [], at: T0 };

t.test('an empty outbox gives no batch', async (t) => {
  const { store } = openStore(t);
  t.equal(store.nextBatch(BIG, newId), null);
  t.same(store.queueStats(), { pending: 0, oldestPendingAt: null, openBatches: 0, lastAttemptError: null });
});

t.test('a batch holds at most maxRecords records, oldest first', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('j', keys(5).map((k) => rec(k))));
  const first = store.nextBatch({ maxRecords: 2, maxBytes: BIG.maxBytes }, newId)!;
  t.same(first.records.map((r) => r.seq), [1, 2]);
  store.acknowledge(first.batchId, ack);
  t.same(store.nextBatch({ maxRecords: 2, maxBytes: BIG.maxBytes }, newId)!.records.map((r) => r.seq), [3, 4]);
});

t.test('a batch holds at most maxBytes of lines, each with its newline', async (t) => {
  const { store } = openStore(t);
  const records = keys(4).map((k) => rec(k));
  store.commitPage(page('j', records));
  const size = (i: number) => Buffer.byteLength(recordLine(records[i]!, i + 1)) + 1;
  const exact = size(0) + size(1);
  const batch = store.nextBatch({ maxRecords: 100, maxBytes: exact }, newId)!;
  t.same(batch.records.map((r) => r.seq), [1, 2], 'two lines fill the limit exactly');
  store.acknowledge(batch.batchId, ack);
  t.same(store.nextBatch({ maxRecords: 100, maxBytes: size(2) + size(3) - 1 }, newId)!.records.map((r) => r.seq), [3], 'one byte less: only one');
});

t.test('a line larger than maxBytes still goes, as a batch of one', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('j', [rec('1', { NOTE: 'x'.repeat(2000) }), rec('2')]));
  const batch = store.nextBatch({ maxRecords: 100, maxBytes: 100 }, newId)!;
  t.equal(batch.records.length, 1);
  t.equal(batch.records[0]!.id, idFor('1'));
});

t.test('the open batch is offered again with its id and records, also after a restart', async (t) => {
  const { store, reopen, clock } = openStore(t);
  store.commitPage(page('j', keys(3).map((k) => rec(k))));
  const batch = store.nextBatch(BIG, newId)!;
  store.commitPage(page('j', keys(2, 10).map((k) => rec(k))));
  t.same(store.nextBatch(BIG, newId), batch, 'records queued later do not join it');

  clock.advance(60_000);
  store.recordAttempt(batch.batchId, { code: 'DELIVERY_UNREACHABLE', message: 'connect ECONNREFUSED', nextAttemptAt: '2026-11-26T12:02:00.000Z' });
  store.close();
  const again = reopen();
  const retried = again.nextBatch(BIG, newId)!;
  t.equal(retried.batchId, batch.batchId);
  t.same(retried.records, batch.records);
  t.equal(retried.createdAt, batch.createdAt);
  t.equal(retried.attempts, 1);
  t.same(again.queueStats(), {
    pending: 5, oldestPendingAt: T0, openBatches: 1,
    lastAttemptError: { code: 'DELIVERY_UNREACHABLE', message: 'connect ECONNREFUSED', at: '2026-11-26T12:01:00.000Z' },
  });

  t.same(again.acknowledge(batch.batchId, ack), { accepted: 3, rejected: 0 });
  t.same(again.queueStats().lastAttemptError, null, 'the failure is over once its batch went through');
  t.same(again.nextBatch(BIG, newId)!.records.map((r) => r.seq), [4, 5]);
});

t.test('acknowledging twice, or an unknown batch, changes nothing', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('j', keys(2).map((k) => rec(k))));
  const batch = store.nextBatch(BIG, newId)!;
  t.same(store.acknowledge(batch.batchId, ack), { accepted: 2, rejected: 0 });
  const totals = store.totals();
  t.same(store.acknowledge(batch.batchId, ack), { accepted: 0, rejected: 0 });
  t.same(store.acknowledge('no-such-batch', { rejected: [{ id: idFor('1'), code: 'X', message: 'x' }], at: T0 }), { accepted: 0, rejected: 0 });
  t.same(store.totals(), totals, 'counters are not doubled');
  t.equal(store.countRejections(), 0);
  t.equal(store.rejectBatch(batch.batchId, 'BATCH_MALFORMED', 'x', T0), 0);
  t.same(store.splitBatch(batch.batchId, newId), []);
  store.recordAttempt(batch.batchId, { code: 'X', message: 'x', nextAttemptAt: null });
  t.equal(store.queueStats().openBatches, 0);
});

t.test('ids the platform rejects that are not in the batch are ignored', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('j', keys(2).map((k) => rec(k))));
  const batch = store.nextBatch(BIG, newId)!;
  const result = store.acknowledge(batch.batchId, {
    rejected: [{ id: 'f'.repeat(64), code: 'X', message: 'x' }, { id: idFor('2'), code: 'P1', message: 'm' }, { id: idFor('2'), code: 'P1', message: 'm' }],
    at: T0,
  });
  t.same(result, { accepted: 1, rejected: 1 });
  t.equal(store.countRejections(), 1, 'a repeated id is kept once');
});

t.test('a batch too large is split into two new batches in seq order', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('j', keys(5).map((k) => rec(k))));
  const batch = store.nextBatch(BIG, newId)!;
  store.recordAttempt(batch.batchId, { code: 'BATCH_TOO_LARGE', message: '413', nextAttemptAt: null });
  const ids = store.splitBatch(batch.batchId, newId);
  t.equal(ids.length, 2);
  t.notOk(ids.includes(batch.batchId), 'new ids');

  const first = store.nextBatch(BIG, newId)!;
  t.equal(first.batchId, ids[0]);
  t.same(first.records.map((r) => r.seq), [1, 2, 3]);
  t.equal(first.attempts, 0);
  store.acknowledge(first.batchId, ack);
  const second = store.nextBatch(BIG, newId)!;
  t.equal(second.batchId, ids[1]);
  t.same(second.records.map((r) => r.seq), [4, 5]);

  const halves = store.splitBatch(second.batchId, newId);
  t.equal(store.nextBatch(BIG, newId)!.batchId, halves[0]);
  t.same(store.splitBatch(halves[0]!, newId), [], 'a batch of one cannot be split');
  t.equal(store.nextBatch(BIG, newId)!.batchId, halves[0], 'and stays as it was');
});

t.test('a malformed batch keeps all its records as refused and goes', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('j', keys(3).map((k) => rec(k))));
  const batch = store.nextBatch(BIG, newId)!;
  t.equal(store.rejectBatch(batch.batchId, 'BATCH_MALFORMED', 'line 2: bad json', T0), 3);
  t.equal(store.nextBatch(BIG, newId), null);
  const rows = store.listRejections({ source: 'platform' });
  t.equal(rows.length, 3);
  t.match(rows[0], { code: 'BATCH_MALFORMED', message: 'line 2: bad json', batchId: batch.batchId, job: 'j', at: T0, resolvedAt: null });
  t.match(store.commitPage(page('j', keys(3).map((k) => rec(k)))), { queued: 0, unchanged: 3, rejected: 0 }, 'not resent unchanged');
  t.same(store.totals().total.rejectedPlatform, 3);
});
