import t from 'tap';
import { recordLine } from '../../../gateway/records/serialize.js';
import { BIG, T0, del, idFor, newId, openStore, page, rec, refused } from './helpers.js';

const ack = { rejected: [], at: T0 };

t.test('a page of new records is queued with increasing seqs and the exact lines', async (t) => {
  const { store } = openStore(t);
  const records = [rec('1'), rec('2'), rec('3')];
  t.match(store.commitPage(page('penalties', records)), { queued: 3, unchanged: 0, rejected: 0 });
  const batch = store.nextBatch(BIG, newId)!;
  t.same(batch.records.map((r) => r.seq), [1, 2, 3]);
  t.same(batch.records.map((r) => r.line), records.map((r, i) => recordLine(r, i + 1)));
  t.same(batch.records.map((r) => [r.id, r.category, r.op]), records.map((r) => [r.id, r.category, 'upsert']));
});

t.test('an unchanged row read again is not queued again', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('1'), rec('2')]));
  t.match(store.commitPage(page('penalties', [rec('1'), rec('2')])), { queued: 0, unchanged: 2, rejected: 0 });
  t.equal(store.queueStats().pending, 2);
  const batch = store.nextBatch(BIG, newId)!;
  store.acknowledge(batch.batchId, ack);
  t.match(store.commitPage(page('penalties', [rec('1'), rec('2')])), { queued: 0, unchanged: 2, rejected: 0 });
  t.equal(store.nextBatch(BIG, newId), null, 'nothing left to send');
});

t.test('a changed row is queued again with the same id and a larger seq', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('1', { NAME: 'old' }), rec('2')]));
  store.acknowledge(store.nextBatch(BIG, newId)!.batchId, ack);
  t.match(store.commitPage(page('penalties', [rec('1', { NAME: 'new' }), rec('2')])), { queued: 1, unchanged: 1, rejected: 0 });
  const batch = store.nextBatch(BIG, newId)!;
  t.equal(batch.records.length, 1);
  t.equal(batch.records[0]!.id, idFor('1'));
  t.equal(batch.records[0]!.seq, 3);
  t.match(JSON.parse(batch.records[0]!.line), { seq: 3, data: { NAME: 'new' } });
});

t.test('a version changed again before delivery is queued as well, newest last', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('1', { NAME: 'a' })]));
  store.commitPage(page('penalties', [rec('1', { NAME: 'b' })]));
  const batch = store.nextBatch(BIG, newId)!;
  t.same(batch.records.map((r) => JSON.parse(r.line).data.NAME), ['a', 'b']);
  t.same(batch.records.map((r) => r.seq), [1, 2]);
});

t.test('records whose ids begin with the same 8 bytes are kept apart: each is found, changed and acknowledged as itself', async (t) => {
  const { store } = openStore(t);
  // The store finds a record by its id's first 8 bytes, then compares the whole id.
  const alike = (key: string, data?: { NAME: string }) => ({ ...rec(key, data), id: `0123456789abcdef${idFor(key).slice(16)}` });
  t.match(store.commitPage(page('penalties', [alike('1'), alike('2')])), { queued: 2, unchanged: 0 });
  t.match(store.commitPage(page('penalties', [alike('1'), alike('2')])), { queued: 0, unchanged: 2 }, 'each found as itself');
  store.acknowledge(store.nextBatch(BIG, newId)!.batchId, ack);
  t.match(store.commitPage(page('penalties', [alike('1'), alike('2', { NAME: 'new' })])), { queued: 1, unchanged: 1 });
  t.equal(store.recordState(alike('1').id)!.status, 'delivered', 'the unchanged one stays delivered');
  t.equal(store.recordState(alike('2').id)!.status, 'queued', 'the changed one is queued');
  const batch = store.nextBatch(BIG, newId)!;
  t.same(batch.records.map((r) => r.id), [alike('2').id]);
  store.acknowledge(batch.batchId, ack);
  t.same([store.recordState(alike('1').id)!.lastSeq, store.recordState(alike('2').id)!.status], [1, 'delivered']);
});

t.test('deletes travel only for records that were sent', async (t) => {
  const { store } = openStore(t);
  t.match(store.commitPage(page('penalties', [del('never')])), { queued: 0, unchanged: 1, rejected: 0 }, 'a delete for an unknown id is skipped');
  store.commitPage(page('penalties', [rec('1')]));
  store.acknowledge(store.nextBatch(BIG, newId)!.batchId, ack);
  t.match(store.commitPage(page('penalties', [del('1')])), { queued: 1, unchanged: 0, rejected: 0 });
  t.match(store.commitPage(page('penalties', [del('1')])), { queued: 0, unchanged: 1, rejected: 0 }, 'the same delete is not sent twice');
  const line = JSON.parse(store.nextBatch(BIG, newId)!.records[0]!.line);
  t.same(line, { id: idFor('1'), category: 'P07-002', op: 'delete', seq: 2, observedAt: T0 });
});

t.test('the cursor moves with the page, stays on a null cursor, and survives a reopen', async (t) => {
  const { store, reopen } = openStore(t);
  t.equal(store.getCursor('penalties'), null);
  store.commitPage(page('penalties', [rec('1')], { cursor: ['2026-11-26 08:00:00', '9007199254740993'] }));
  store.commitPage(page('penalties', [rec('2')], { cursor: null }));
  t.same(store.getCursor('penalties'), ['2026-11-26 08:00:00', '9007199254740993']);
  t.equal(store.getCursor('other'), null, 'cursors are per job');
  store.close();
  const again = reopen();
  t.same(again.getCursor('penalties'), ['2026-11-26 08:00:00', '9007199254740993']);
  again.resetCursor('penalties');
  t.equal(again.getCursor('penalties'), null);
});

t.test('a page that fails half-way leaves nothing behind, cursor included', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('0')], { cursor: [1] }));
  const before = { queue: store.queueStats(), totals: store.totals(), lastSeq: store.lastSeq() };

  // JSON cannot carry a BigInt: the second record's line fails after the first was written.
  const poisoned = { ...rec('2'), data: { AMOUNT: 10n as unknown as string } };
  t.throws(() => store.commitPage(page('penalties', [rec('1'), poisoned], {
    rejections: [refused('3', [{ field: 'F', code: 'X', message: 'x' }])], cursor: [4],
  })));
  t.same(store.getCursor('penalties'), [1]);
  t.same(store.queueStats(), before.queue);
  t.same(store.totals(), before.totals);
  t.equal(store.lastSeq(), before.lastSeq, 'the seq taken inside the failed page is given out again');
  t.equal(store.countRejections(), 0);

  t.match(store.commitPage(page('penalties', [rec('1')], { cursor: [2] })), { queued: 1, unchanged: 0, rejected: 0 }, 'the page can be committed again');
  t.equal(store.lastSeq(), 2);
});

t.test('a page naming one record twice is refused as a whole', async (t) => {
  const { store } = openStore(t);
  t.throws(() => store.commitPage(page('penalties', [rec('1'), rec('2'), rec('1', { NAME: 'other' })], { cursor: [3] })), {
    code: 'STORE_PAGE_INVALID',
  });
  t.throws(() => store.commitPage(page('penalties', [rec('1')], {
    rejections: [refused('1', [{ field: 'F', code: 'X', message: 'x' }])],
  })), { code: 'STORE_PAGE_INVALID' }, 'a record and a rejection for one id');
  t.equal(store.getCursor('penalties'), null);
  t.equal(store.queueStats().pending, 0);
  t.equal(store.countRejections(), 0);
});

t.test('an acknowledgement that fails half-way leaves the batch as it was', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('1'), rec('2'), rec('3')]));
  const batch = store.nextBatch(BIG, newId)!;
  const broken = [
    { id: idFor('1'), code: 'P_BAD', message: 'bad' },
    { id: idFor('2'), code: null as unknown as string, message: 'no code' },
  ];
  t.throws(() => store.acknowledge(batch.batchId, { rejected: broken, at: T0 }));
  t.same(store.nextBatch(BIG, newId), batch, 'same batch, same records');
  t.equal(store.countRejections(), 0);
  t.same(store.totals().total.delivered, 0);
  t.same(store.acknowledge(batch.batchId, { rejected: [broken[0]!], at: T0 }), { accepted: 2, rejected: 1 });
});

t.test('a record the platform refused is not resent unchanged, but is once changed', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('1', { NAME: 'bad' }), rec('2')]));
  const batch = store.nextBatch(BIG, newId)!;
  t.same(store.acknowledge(batch.batchId, { rejected: [{ id: idFor('1'), code: 'P_FIELD', message: '字段错误' }], at: T0 }), {
    accepted: 1, rejected: 1,
  });
  t.match(store.commitPage(page('penalties', [rec('1', { NAME: 'bad' })])), { queued: 0, unchanged: 1, rejected: 0 });
  t.equal(store.nextBatch(BIG, newId), null);
  t.match(store.commitPage(page('penalties', [rec('1', { NAME: 'fixed' })])), { queued: 1, unchanged: 0, rejected: 0 });
  t.match(JSON.parse(store.nextBatch(BIG, newId)!.records[0]!.line), { id: idFor('1'), data: { NAME: 'fixed' } });
});

t.test('a snapshot pass finds the records the source no longer has', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('snap', ['1', '2', '3', '4', '5'].map((k) => rec(k))));
  store.commitPage(page('other', [rec('x')]));
  const pass = store.beginPass('snap');
  store.commitPage(page('snap', [rec('1'), rec('3', { NAME: 'changed' })], {
    rejections: [refused('4', [{ field: 'F', code: 'X', message: 'x' }])],
  }));
  t.same(store.unseenRecords('snap', pass).map((r) => r.key), ['2', '5'],
    'unchanged, changed and locally refused rows were seen; other jobs are not looked at; in the order first queued');
  const first = store.unseenRecords('snap', pass, { limit: 1 });
  const rest = store.unseenRecords('snap', pass, { after: first[0]!.id, limit: 10 });
  t.same([...first, ...rest].map((r) => r.key), ['2', '5'], 'keyset pages after the last id returned');

  store.commitPage(page('snap', [del('2'), del('5')]));
  t.same(store.unseenRecords('snap', pass), [], 'deleted records are not offered again');
  const next = store.beginPass('snap');
  t.ok(next > pass);
  t.same(store.unseenRecords('snap', next).map((r) => r.key).sort(), ['1', '3', '4']);
});

t.test('a record state follows its newest version only', async (t) => {
  const { store } = openStore(t);
  t.equal(store.recordState(idFor('1')), null);
  store.commitPage(page('penalties', [rec('1', { NAME: 'a' }), rec('2'), rec('3')]));
  t.match(store.recordState(idFor('1')), { lastSeq: 1, status: 'queued', fingerprint: rec('1', { NAME: 'a' }).fingerprint });
  const first = store.nextBatch(BIG, newId)!;
  store.commitPage(page('penalties', [rec('1', { NAME: 'b' })]));
  store.acknowledge(first.batchId, { rejected: [{ id: idFor('2'), code: 'P', message: 'p' }], at: T0 });
  t.match(store.recordState(idFor('1')), { lastSeq: 4, status: 'queued' }, 'an older version delivered late does not hide the newer one');
  t.match(store.recordState(idFor('2')), { status: 'platform_rejected' });
  t.match(store.recordState(idFor('3')), { status: 'delivered' });
  store.commitPage(page('penalties', [del('3')]));
  store.acknowledge(store.nextBatch(BIG, newId)!.batchId, ack);
  t.match(store.recordState(idFor('1')), { lastSeq: 4, status: 'delivered' });
  t.match(store.recordState(idFor('3')), { lastSeq: 5, status: 'deleted' });
});
