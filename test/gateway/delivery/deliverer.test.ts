import t from 'tap';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Deliverer } from '../../../gateway/delivery/deliverer.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { CATEGORY, FakeSleep, deliverer, idOf, openStore, page, platformClient, rec, SECRET, GATEWAY, silent, startReceiver, storeRefusingAnswers, until } from './helpers.js';

/**
 * Delivery end to end: the real store, the real client and the reference
 * receiver, one subtest per row of the response table in spec section 2.
 * Waits are recorded by a fake sleep, never spent.
 */

const accepted = <B extends { status: number | null; duplicate: boolean }>(batches: B[]) => batches.filter((b) => b.status === 200 && !b.duplicate);

t.test('records arrive exactly once, in seq order, with the ids and lines the store holds', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2'), rec('3')]));
  const h = deliverer(t, store, platformClient(t, url));
  await h.drain();
  t.same(receiver.records().map((r) => [r.id, r.seq]).sort((a, b) => Number(a[1]) - Number(b[1])), [[idOf('1'), 1], [idOf('2'), 2], [idOf('3'), 3]]);
  t.match(receiver.records()[0], { category: CATEGORY, op: 'upsert', subject: { kind: 'legal' }, data: { NAME: 'name 1' } });
  t.equal(accepted(receiver.batches()).length, 1);
  t.match(h.events, [{ type: 'batch_delivered', records: 3, accepted: 3, rejected: 0, duplicate: false, attempts: 1, durationMs: Number }]);
  t.same(h.events[0]!.type === 'batch_delivered' && h.events[0]!.categories, { [CATEGORY]: { accepted: 3, rejected: 0 } }, 'counted by category');
  t.ok(h.events[0]!.type === 'batch_delivered' && h.events[0]!.durationMs >= 0, 'the round trip is measured');
  t.match(h.deliverer.state(), { status: 'idle', lastError: null, lastSuccessAt: String, nextAttemptAt: null });
  t.same(h.sleep.delays, [], 'no waiting when all goes well');
});

t.test('HMAC-SM3 and identity bodies are accepted by the platform too', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  await deliverer(t, store, platformClient(t, url, { algorithm: 'sm3', gzip: false })).drain();
  t.equal(receiver.records().length, 1);
});

t.test('batch ids are ULIDs by default', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  await deliverer(t, store, platformClient(t, url)).drain();
  t.match(receiver.batches()[0]!.batchId, /^[0-9A-HJKMNP-TV-Z]{26}$/);
});

t.test('200 with per-record rejections: kept locally as rejected with code and message, never resent unchanged', async (t) => {
  const { receiver, url } = await startReceiver(t, {
    rejectRules: [{ ids: [idOf('2')], code: 'SUBJECT_CODE_INVALID', message: '统一社会信用代码校验位错误' }],
  });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2'), rec('3')]));
  const h = deliverer(t, store, platformClient(t, url));
  await h.drain();

  t.match(store.listRejections({ source: 'platform' }), [
    { recordId: idOf('2'), code: 'SUBJECT_CODE_INVALID', message: '统一社会信用代码校验位错误', batchId: receiver.batches()[0]!.batchId },
  ]);
  t.match(h.events, [{ type: 'batch_delivered', accepted: 2, rejected: 1, categories: { [CATEGORY]: { accepted: 2, rejected: 1 } } }]);

  // The same rows read again: nothing goes out, the refused one included.
  store.commitPage(page([rec('1'), rec('2'), rec('3')]));
  await h.drain();
  t.equal(receiver.batches().length, 1, 'no second batch');
});

t.test('duplicate: the answer is lost after the platform stored the batch; the resend under the same id is done', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ drop: 'after' });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2')]));
  const h = deliverer(t, store, platformClient(t, url));
  await h.drain();

  const [first, second] = receiver.batches();
  t.equal(receiver.batches().length, 2);
  t.equal(first!.batchId, second!.batchId, 'resent with the same batch id');
  t.match(second, { status: 200, duplicate: true });
  t.equal(receiver.records().length, 2, 'the platform holds each record once');
  t.equal(receiver.stats().accepted, 2);
  t.match(h.events, [
    { type: 'attempt_failed', attempt: 1, reason: { code: 'DELIVERY_UNREACHABLE' }, next: 'retry' },
    { type: 'batch_delivered', duplicate: true, accepted: 2, attempts: 2 },
  ]);
  t.equal(store.listRejections({ source: 'platform' }).length, 0);
});

t.test('400: the whole batch is kept as rejected, and delivery goes on with the next batch', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ status: 400, body: { code: 'BATCH_MALFORMED', message: 'line 1: unexpected token' } });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2'), rec('3'), rec('4')]));
  const h = deliverer(t, store, platformClient(t, url), { limits: { maxRecords: 2, maxBytes: 8 << 20 } });
  await h.drain();

  t.same(
    store.listRejections({ source: 'platform' }).map((r) => [r.recordId, r.code, r.message]).sort(),
    [[idOf('1'), 'BATCH_MALFORMED', 'line 1: unexpected token'], [idOf('2'), 'BATCH_MALFORMED', 'line 1: unexpected token']].sort(),
  );
  t.same(receiver.records().map((r) => r.id).sort(), [idOf('3'), idOf('4')].sort(), 'the next batch arrived');
  t.match(h.events, [
    { type: 'batch_rejected', records: 2, code: 'BATCH_MALFORMED', categories: { [CATEGORY]: { accepted: 0, rejected: 2 } } },
    { type: 'batch_delivered', accepted: 2 },
  ]);
  t.same(h.sleep.delays, [], 'no retry of a malformed batch');
});

t.test('401: delivery pauses, shows the auth error, retries slowly, and recovers once the secret is right', async (t) => {
  // The platform holds another secret for this gateway than the one configured here.
  const wrong = await startReceiver(t, { gateways: { [GATEWAY]: 'a-secret-reissued-by-the-center' } });
  const port = Number(new URL(wrong.url).port);
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const h = deliverer(t, store, platformClient(t, wrong.url), { authRetryMs: 60_000 });

  let fixed: ReturnType<typeof startReceiver> | null = null;
  let paused = false;
  h.sleep.holdWith(async (ms) => {
    paused = true;
    t.equal(ms, 60_000, 'retries after the configured pause');
    t.match(h.deliverer.state(), {
      status: 'paused_auth',
      lastError: { code: 'DELIVERY_AUTH', message: /^AUTH_/, action: /secret/ },
      nextAttemptAt: String,
    });
    t.equal(store.queueStats().pending, 1, 'nothing is lost while paused');
    // The credit center and this gateway agree on the secret again.
    h.sleep.release();
    fixed ??= wrong.receiver.close().then(() => startReceiver(t, {}, port));
    await fixed;
  });
  h.deliverer.start();
  await until(() => paused, 'delivery paused');
  const right = await fixed!;
  await h.drain();

  t.equal(right.receiver.records().length, 1);
  t.match(h.events, [{ type: 'attempt_failed', next: 'pause_auth', delayMs: 60_000 }, { type: 'batch_delivered', attempts: 2 }]);
  t.match(h.deliverer.state(), { status: 'idle', lastError: null });
});

t.test('401 for a clock more than 300 s off: signed again on the platform\'s time, delivery never pauses', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const client = platformClient(t, url, { now: () => Date.now() - 10 * 60_000 });
  const h = deliverer(t, store, client);
  await h.drain();
  t.equal(receiver.records().length, 1);
  t.same(receiver.batches().map((b) => b.status), [401, 200], 'one refusal, answered by one corrected resend of the same batch');
  t.equal(new Set(receiver.batches().map((b) => b.batchId)).size, 1);
  t.same(h.sleep.delays, [], 'no pause, no back-off');
  t.ok(Math.abs(client.clock().offsetMs! - 10 * 60_000) < 2000, 'the offset stays known for the status page');
});

t.test('413: the batch is split into new batch ids until every part fits, and everything arrives', async (t) => {
  const { receiver, url } = await startReceiver(t, { maxRecords: 2 });
  const store = openStore(t);
  const keys = ['1', '2', '3', '4', '5'];
  store.commitPage(page(keys.map((k) => rec(k))));
  const h = deliverer(t, store, platformClient(t, url));
  await h.drain();

  t.same(receiver.records().map((r) => r.id).sort(), keys.map(idOf).sort());
  const log = receiver.batches();
  const original = log[0]!.batchId;
  t.match(log[0], { status: 413, code: 'BATCH_TOO_LARGE' });
  t.ok(accepted(log).every((b) => b.batchId !== original), 'the parts have new batch ids');
  t.equal(new Set(accepted(log).map((b) => b.batchId)).size, accepted(log).length);
  t.ok(h.events.some((e) => e.type === 'batch_split' && e.batchId === original && e.into.length === 2));
  t.equal(store.listRejections({ source: 'platform' }).length, 0);
  t.same(h.sleep.delays, [], 'a split is sent at once');
});

t.test('413 for a single record: it is kept as rejected (BATCH_TOO_LARGE), the rest goes on', async (t) => {
  const { receiver, url } = await startReceiver(t, { maxBytes: 2048 });
  const store = openStore(t);
  store.commitPage(page([rec('big', { NAME: 'x'.repeat(4096) }), rec('small')]));
  const h = deliverer(t, store, platformClient(t, url, { gzip: false }), { limits: { maxRecords: 1, maxBytes: 8 << 20 } });
  await h.drain();

  t.match(store.listRejections({ source: 'platform' }), [{ recordId: idOf('big'), code: 'BATCH_TOO_LARGE' }]);
  t.same(receiver.records().map((r) => r.id), [idOf('small')]);
});

for (const status of [429, 503]) {
  t.test(`${status} with Retry-After: waits that long, then resends the same batch`, async (t) => {
    const { receiver, url } = await startReceiver(t);
    receiver.injectFault({ status, retryAfter: 7 });
    const store = openStore(t);
    store.commitPage(page([rec('1')]));
    const h = deliverer(t, store, platformClient(t, url));
    h.sleep.holdWith(async () => {
      t.match(h.deliverer.state(), { status: 'backing_off', lastError: { code: status === 429 ? 'DELIVERY_THROTTLED' : 'DELIVERY_SERVER_ERROR' }, nextAttemptAt: String });
      t.equal(receiver.batches().length, 1, 'nothing is resent before the wait is over');
    });
    await h.drain();

    t.same(h.sleep.delays, [7000]);
    const [refused, resent] = receiver.batches();
    t.match(refused, { status });
    t.match(resent, { status: 200, batchId: refused!.batchId });
    t.equal(receiver.records().length, 1);
  });
}

t.test('5xx: the same batch is resent after exponential back-off with jitter; exactly one copy arrives', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ status: 500, times: 3 });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2')]));
  const h = deliverer(t, store, platformClient(t, url), { backoff: { baseMs: 1000, maxMs: 60_000 }, random: () => 0.5 });
  await h.drain();

  t.same(h.sleep.delays, [500, 1000, 2000], 'half of a ceiling doubling from 1 s');
  const ids = new Set(receiver.batches().map((b) => b.batchId));
  t.equal(ids.size, 1, 'one batch id throughout');
  t.equal(accepted(receiver.batches()).length, 1);
  t.equal(receiver.stats().accepted, 2);
});

t.test('a connection dropped before the platform read the batch: the same batch is resent', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ drop: 'before' });
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const h = deliverer(t, store, platformClient(t, url));
  await h.drain();
  const [dropped, resent] = receiver.batches();
  t.equal(dropped!.batchId, resent!.batchId);
  t.match(h.events, [{ type: 'attempt_failed', reason: { code: 'DELIVERY_UNREACHABLE' } }, { type: 'batch_delivered', duplicate: false }]);
  t.equal(receiver.records().length, 1);
});

t.test('a platform that does not answer in time: DELIVERY_TIMEOUT, then the same batch again', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ hang: true });
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const h = deliverer(t, store, platformClient(t, url, { timeoutMs: 200 }));
  await h.drain();
  t.match(h.events, [{ type: 'attempt_failed', reason: { code: 'DELIVERY_TIMEOUT' } }, { type: 'batch_delivered' }]);
  t.equal(new Set(receiver.batches().map((b) => b.batchId)).size, 1);
});

t.test('a platform that is down: the records stay queued and the status page says why', async (t) => {
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const h = deliverer(t, store, platformClient(t, 'http://127.0.0.1:1/exchange'));
  let seen = false;
  h.sleep.holdWith(async () => {
    seen = true;
    await new Promise(() => undefined);
  });
  h.deliverer.start();
  await until(() => seen, 'the first back-off');
  t.match(h.deliverer.state(), { status: 'backing_off', lastError: { code: 'DELIVERY_UNREACHABLE', action: /extranet/ } });
  t.match(store.queueStats(), { pending: 1, openBatches: 1, lastAttemptError: { code: 'DELIVERY_UNREACHABLE' } });
  await h.deliverer.stop();
});

t.test('a restart resends the open batch with the same id and records', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ hang: true });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2')]));
  const first = deliverer(t, store, platformClient(t, url), { stopGraceMs: 20 });
  first.deliverer.start();
  await until(() => receiver.batches().length === 1, 'the platform received the batch');
  await first.deliverer.stop();
  t.equal(store.queueStats().pending, 2, 'stopping mid-request loses nothing');
  t.same(first.sleep.delays, [], 'an abort for stop is not a failed attempt');

  const second = deliverer(t, store, platformClient(t, url));
  await second.drain();
  const [hung, resent] = receiver.batches();
  t.equal(resent!.batchId, hung!.batchId);
  t.equal(receiver.records().length, 2);
});

t.test('stop lets a request in flight finish and records its answer', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ delayMs: 150 });
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const h = deliverer(t, store, platformClient(t, url), { stopGraceMs: 10_000 });
  h.deliverer.start();
  await until(() => h.deliverer.state().status === 'sending', 'sending');
  await h.deliverer.stop();
  t.equal(store.queueStats().pending, 0, 'acknowledged before stop returned');
  t.equal(receiver.records().length, 1);
});

t.test('wake() starts delivery of newly committed records at once', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  const h = deliverer(t, store, platformClient(t, url), { idlePollMs: 3_600_000 });
  h.deliverer.start();
  await until(() => h.deliverer.state().status === 'idle', 'idle');
  store.commitPage(page([rec('1')]));
  h.deliverer.wake();
  await until(() => receiver.records().length === 1, 'the record arrived');
});

t.test('flush sends what is queued and reports what is left', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2'), rec('3')]));
  const h = deliverer(t, store, platformClient(t, url), { limits: { maxRecords: 1, maxBytes: 8 << 20 } });
  t.same(await h.deliverer.flush(), { pending: 0 }, 'without the loop running');
  t.equal(receiver.records().length, 3);

  receiver.injectFault({ status: 503 });
  store.commitPage(page([rec('4')]));
  h.deliverer.start();
  t.same(await h.deliverer.flush(), { pending: 1 }, 'stops at a failed attempt');
});

t.test('drain (a one-shot run): an auth pause in progress is cut short and the first refused attempt is the answer', async (t) => {
  const wrong = await startReceiver(t, { gateways: { [GATEWAY]: 'a-secret-reissued-by-the-center' } });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2')]));
  // A real sleep: were drain to wait for the daemon's pause, this test would hang for an hour.
  const h = deliverer(t, store, platformClient(t, wrong.url), { authRetryMs: 3_600_000, sleep: undefined });
  h.deliverer.start();
  await until(() => h.deliverer.state().status === 'paused_auth', 'delivery paused');
  const left = await h.deliverer.drain();
  t.same(left, { pending: 2, failure: { code: 'DELIVERY_AUTH', message: left.failure?.message } });
  t.match(left.failure?.message, /^AUTH_/);
  t.match(h.events.map((e) => e.type), ['attempt_failed', 'attempt_failed'], 'one attempt by the loop, one by drain, none after');
  t.equal(store.queueStats().pending, 2, 'the records stay queued for the daemon');
});

t.test('drain sends everything queued, batch after batch, and reports no failure', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2'), rec('3')]));
  const h = deliverer(t, store, platformClient(t, url), { limits: { maxRecords: 1, maxBytes: 8 << 20 } });
  t.same(await h.deliverer.drain(), { pending: 0, failure: null });
  t.equal(receiver.records().length, 3);
  receiver.injectFault({ status: 503, times: 5 });
  store.commitPage(page([rec('4')]));
  t.same(await h.deliverer.drain(), { pending: 1, failure: { code: 'DELIVERY_SERVER_ERROR', message: 'HTTP 503' } }, 'a platform error is the answer too: no back-off and retry');
  t.equal(receiver.faults()[0]?.left, 4, 'one attempt only');
});

t.test('the secret is never logged', async (t) => {
  const { receiver, url } = await startReceiver(t, { gateways: { [GATEWAY]: 'other' } });
  receiver.injectFault({ status: 500 });
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write(c, _e, done) { lines.push(String(c)); done(); } }));
  const store = openStore(t);
  store.commitPage(page([rec('1')]));
  const client = platformClient(t, url, { logger });
  const d = new Deliverer({ store, client, limits: { maxRecords: 10, maxBytes: 1 << 20 }, backoff: { baseMs: 1, maxMs: 1 }, logger });
  await d.flush();
  await d.flush();
  t.ok(lines.some((l) => l.includes('AUTH_')), 'the auth failure was logged');
  t.notOk(lines.join('').includes(SECRET));
});

t.test('the store failing to record an answer loses nothing: the answer is recorded on the next try, without asking the platform again', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2')]));
  const flaky = storeRefusingAnswers(store, 1, { message: 'database is locked', code: 'SQLITE_BUSY' });
  const sleep = new FakeSleep();
  const d = new Deliverer({
    store: flaky, client: platformClient(t, url), limits: { maxRecords: 10, maxBytes: 1 << 20 },
    backoff: { baseMs: 1000, maxMs: 1000 }, random: () => 1, sleep: sleep.sleep, logger: silent,
  });
  t.teardown(() => d.stop());
  d.start();
  await until(() => store.queueStats().pending === 0, 'acknowledged');
  t.same(sleep.delays, [1000], 'backed off once');
  t.match(receiver.batches(), [{ status: 200, duplicate: false }]);
  t.equal(receiver.batches().length, 1, 'sent once');
  t.equal(receiver.records().length, 2);
});

t.test('a batch of several categories reports what the platform took and refused of each', async (t) => {
  const OTHER = 'P07-001';
  const other = (key: string) => ({ ...rec(key), category: OTHER, id: recordId(GATEWAY, OTHER, key) });
  const { url } = await startReceiver(t, {
    rejectRules: [{ ids: [recordId(GATEWAY, OTHER, 'b')], code: 'SUBJECT_CODE_INVALID', message: '统一社会信用代码校验位错误' }],
  });
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2'), other('a'), other('b')]));
  const h = deliverer(t, store, platformClient(t, url));
  await h.drain();
  t.match(h.events, [{ type: 'batch_delivered', records: 4, accepted: 3, rejected: 1 }]);
  t.same(h.events[0]!.type === 'batch_delivered' && h.events[0]!.categories, {
    [CATEGORY]: { accepted: 2, rejected: 0 },
    [OTHER]: { accepted: 1, rejected: 1 },
  });
});

t.test('an answer the store cannot record (disk full) is kept and recorded later, not bought again by resending the batch', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page([rec('1'), rec('2')]));
  const h = deliverer(t, store, platformClient(t, url), {
    store: storeRefusingAnswers(store, 3, { message: 'database or disk is full', code: 'SQLITE_FULL' }),
  });
  const states: string[] = [];
  h.sleep.holdWith(async () => {
    states.push(h.deliverer.state().lastError?.code ?? '');
  });
  await h.drain();
  t.equal(receiver.batches().length, 1, 'the platform was asked once');
  t.equal(receiver.stats().accepted, 2);
  t.equal(store.queueStats().pending, 0, 'the answer was recorded in the end');
  t.same(states, ['STORE_DISK_FULL', 'STORE_DISK_FULL', 'STORE_DISK_FULL'], 'each failed recording waited, shown as a full disk');
  t.match(h.events, [{ type: 'batch_delivered', batchId: receiver.batches()[0]!.batchId, accepted: 2 }]);
});

t.test('the batch read ahead goes out only once the one before was answered: a batch answered 5xx is sent again first, and order holds', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page(Array.from({ length: 9 }, (_, i) => rec(String(i + 1)))));
  receiver.injectFault({ status: 503, times: 1 });
  const h = deliverer(t, store, platformClient(t, url), { limits: { maxRecords: 3, maxBytes: 1024 * 1024 } });
  await h.drain();

  const sent = receiver.batches().map((b) => b.batchId);
  const firsts = [...new Set(sent)];
  t.equal(firsts.length, 3, 'three batches');
  t.same(sent, [firsts[0], firsts[0], firsts[1], firsts[2]], 'the refused batch again before the one read ahead of it');
  t.same(receiver.records().map((r) => r.seq).sort((a, b) => Number(a) - Number(b)), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.equal(receiver.stats().accepted, 9, 'each record once');
  t.equal(store.queueStats().openBatches, 0);
});

t.test('the batch read ahead goes out as soon as the one before is answered, before that answer is recorded, so the platform reads it meanwhile', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page(Array.from({ length: 9 }, (_, i) => rec(String(i + 1)))));
  const order: string[] = [];
  const firstSeq = new Map<string, number>();
  const client = platformClient(t, url);
  const post = client.postBatch.bind(client);
  client.postBatch = (batch, signal) => {
    firstSeq.set(batch.batchId, batch.records[0]!.seq);
    order.push(`post ${batch.records[0]!.seq}`);
    return post(batch, signal);
  };
  const acknowledge = store.acknowledge.bind(store);
  store.acknowledge = (batchId, result) => {
    order.push(`record ${firstSeq.get(batchId)}`);
    return acknowledge(batchId, result);
  };
  await deliverer(t, store, client, { limits: { maxRecords: 3, maxBytes: 1024 * 1024 } }).drain();

  t.same(order, ['post 1', 'post 4', 'record 1', 'post 7', 'record 4', 'record 7']);
  t.same(receiver.batches().map((b) => [b.status, b.duplicate]), [[200, false], [200, false], [200, false]], 'each batch once');
  t.equal(receiver.stats().accepted, 9);
  t.match(store.queueStats(), { pending: 0, openBatches: 0 });
});

t.test('an answer the store cannot record while the next batch is already out: that request is given up, and every record still arrives exactly once', async (t) => {
  const { receiver, url } = await startReceiver(t);
  const store = openStore(t);
  store.commitPage(page(Array.from({ length: 9 }, (_, i) => rec(String(i + 1)))));
  const h = deliverer(t, store, platformClient(t, url), {
    limits: { maxRecords: 3, maxBytes: 1024 * 1024 },
    store: storeRefusingAnswers(store, 1, { message: 'database or disk is full', code: 'SQLITE_FULL' }, true),
  });
  await h.drain();
  await h.drain();

  t.match(store.queueStats(), { pending: 0, openBatches: 0 }, 'all recorded in the end');
  t.same(receiver.records().map((r) => r.seq).sort((a, b) => Number(a) - Number(b)), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.equal(receiver.stats().accepted, 9, 'each record taken once');
  const taken = receiver.batches().filter((b) => b.status === 200 && !b.duplicate).map((b) => b.batchId);
  t.equal(new Set(taken).size, 3, 'three batches, none processed twice');
});

t.test('a stop asked for while the batch sent ahead is going out: the drain after it delivers every record, and no batch is answered twice', async (t) => {
  const { receiver, url } = await startReceiver(t);
  receiver.injectFault({ path: 'batches', delayMs: 150, times: 1_000_000 });
  const store = openStore(t);
  store.commitPage(page(Array.from({ length: 9 }, (_, i) => rec(String(i + 1)))));
  let stopping: Promise<void> | null = null;
  const h = deliverer(t, store, platformClient(t, url), {
    limits: { maxRecords: 3, maxBytes: 1024 * 1024 },
    // The first answer is being recorded: the second batch went out a moment ago.
    onEvent: (e) => {
      if (e.type === 'batch_delivered' && !stopping) stopping = h.deliverer.stop();
    },
  });
  h.deliverer.start();
  await until(() => stopping !== null, 'the first batch answered');
  await stopping;
  const { pending, failure } = await h.deliverer.drain();

  t.same({ pending, failure }, { pending: 0, failure: null });
  t.same(receiver.batches().map((b) => [b.status, b.duplicate]), [[200, false], [200, false], [200, false]], 'each batch answered once');
    t.equal(receiver.stats().accepted, 9);
});
