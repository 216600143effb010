import t from 'tap';
import { BIG, Clock, T0, idFor, newId, openStore, page, rec, refused } from './helpers.js';

const HOUR = 3_600_000;
const zero = { rowsRead: 0, queued: 0, unchanged: 0, rejectedLocal: 0, delivered: 0, rejectedPlatform: 0 };
const finding = { field: 'F', code: 'REQUIRED', message: '不能为空' };

t.test('counters per job and per category, today and in total', async (t) => {
  const clock = new Clock();
  clock.advance(-48 * HOUR); // two days ago
  const { store } = openStore(t, clock);
  store.commitPage(page('penalties', [rec('1'), rec('2')], { rowsRead: 2 }));
  store.acknowledge(store.nextBatch(BIG, newId)!.batchId, { rejected: [{ id: idFor('2'), code: 'P', message: 'p' }], at: clock.now().toISOString() });

  clock.advance(48 * HOUR); // today
  store.commitPage(page('penalties', [rec('1'), rec('3'), rec('4', {}, { category: 'L01-001' })], {
    rejections: [refused('5', [finding, finding])], rowsRead: 6,
  }));
  store.commitPage(page('licences', [rec('9', {}, { category: 'L01-001' })], { rowsRead: 1 }));
  const batch = store.nextBatch(BIG, newId)!;
  store.acknowledge(batch.batchId, { rejected: [], at: T0 });

  t.same(store.jobStats(), [
    {
      job: 'licences',
      today: { ...zero, rowsRead: 1, queued: 1, delivered: 1 },
      total: { ...zero, rowsRead: 1, queued: 1, delivered: 1 },
    },
    {
      job: 'penalties',
      today: { rowsRead: 6, queued: 2, unchanged: 1, rejectedLocal: 1, delivered: 2, rejectedPlatform: 0 },
      total: { rowsRead: 8, queued: 4, unchanged: 1, rejectedLocal: 1, delivered: 3, rejectedPlatform: 1 },
    },
  ]);

  const categories = store.categoryStats();
  t.same(categories.map((c) => c.category), ['L01-001', 'P07-002']);
  t.same(categories[0], {
    category: 'L01-001',
    today: { ...zero, rowsRead: 2, queued: 2, delivered: 2 },
    total: { ...zero, rowsRead: 2, queued: 2, delivered: 2 },
    lastDeliveredAt: T0,
    last24h: { delivered: 2, rejected: 0 },
  });
  t.same(categories[1], {
    category: 'P07-002',
    today: { rowsRead: 3, queued: 1, unchanged: 1, rejectedLocal: 1, delivered: 1, rejectedPlatform: 0 },
    total: { rowsRead: 5, queued: 3, unchanged: 1, rejectedLocal: 1, delivered: 2, rejectedPlatform: 1 },
    lastDeliveredAt: T0,
    last24h: { delivered: 1, rejected: 0 },
  }, 'rows read per category count rows that became a record or a rejection');

  t.same(store.totals(), {
    today: { rowsRead: 7, queued: 3, unchanged: 1, rejectedLocal: 1, delivered: 3, rejectedPlatform: 0 },
    total: { rowsRead: 9, queued: 5, unchanged: 1, rejectedLocal: 1, delivered: 4, rejectedPlatform: 1 },
    lastDeliveredAt: T0,
    last24h: { delivered: 3, rejected: 0 },
  });
});

t.test('the last 24 hours slide by the hour', async (t) => {
  const clock = new Clock();
  const { store } = openStore(t, clock);
  const deliverAt = (key: string, at: Date, reject = false) => {
    store.commitPage(page('j', [rec(key)]));
    const batch = store.nextBatch(BIG, newId)!;
    store.acknowledge(batch.batchId, { rejected: reject ? [{ id: idFor(key), code: 'P', message: 'p' }] : [], at: at.toISOString() });
  };
  const start = new Date(T0);
  deliverAt('1', start);
  deliverAt('2', new Date(start.getTime() + 2 * HOUR), true);
  const window = (hoursLater: number) => store.categoryStats(new Date(start.getTime() + hoursLater * HOUR))[0]!.last24h;
  t.same(window(0), { delivered: 1, rejected: 0 });
  t.same(window(23), { delivered: 1, rejected: 1 });
  t.same(window(24), { delivered: 0, rejected: 1 });
  t.same(window(26), { delivered: 0, rejected: 0 });
  t.equal(store.categoryStats()[0]!.lastDeliveredAt, T0, 'a refused record is not a delivery');
});

t.test('job runs: last run, last success and last error', async (t) => {
  const { store, reopen } = openStore(t);
  t.same(store.jobStates(), []);
  store.recordRun('penalties', { startedAt: '2026-11-26T01:00:00.000Z', finishedAt: '2026-11-26T01:00:05.000Z', ok: true, error: null });
  store.recordRun('penalties', {
    startedAt: '2026-11-26T02:00:00.000Z', finishedAt: '2026-11-26T02:00:01.000Z', ok: false,
    error: { code: 'JOB_SOURCE_FAILED', message: 'connect ETIMEDOUT' },
  });
  const failing = {
    job: 'penalties', lastRunStartedAt: '2026-11-26T02:00:00.000Z', lastRunAt: '2026-11-26T02:00:01.000Z', lastRunOk: false,
    lastSuccessAt: '2026-11-26T01:00:05.000Z',
    lastError: { code: 'JOB_SOURCE_FAILED', message: 'connect ETIMEDOUT', at: '2026-11-26T02:00:01.000Z' },
  };
  t.same(store.jobStates(), [failing]);
  store.recordRun('penalties', { startedAt: '2026-11-26T03:00:00.000Z', finishedAt: '2026-11-26T03:00:04.000Z', ok: true, error: null });
  store.close();
  t.same(reopen().jobStates(), [{
    ...failing, lastRunStartedAt: '2026-11-26T03:00:00.000Z', lastRunAt: '2026-11-26T03:00:04.000Z', lastRunOk: true,
    lastSuccessAt: '2026-11-26T03:00:04.000Z',
  }], 'a success keeps the last error visible, with its time');
});

t.test('queue statistics follow the outbox', async (t) => {
  const clock = new Clock();
  const { store } = openStore(t, clock);
  store.commitPage(page('j', [rec('1'), rec('2')]));
  clock.advance(HOUR);
  store.commitPage(page('j', [rec('3')]));
  store.nextBatch({ maxRecords: 2, maxBytes: BIG.maxBytes }, newId);
  t.same(store.queueStats(), { pending: 3, oldestPendingAt: T0, openBatches: 1, lastAttemptError: null });
});

t.test('a rejection counts once while it stays open and unchanged, however often the row is read again', async (t) => {
  const clock = new Clock();
  const { store } = openStore(t, clock);
  const blank = { field: 'CF_WSH', code: 'REQUIRED', message: '行政处罚决定书文号不能为空' };
  const nightly = () => store.commitPage(page('penalties', [rec('1')], { rejections: [refused('7', [blank])], cursor: null }));
  const rejected = () => ({ today: store.totals().today.rejectedLocal, total: store.totals().total.rejectedLocal });

  nightly();
  clock.advance(24 * HOUR);
  const second = nightly();
  t.equal(second.rejected, 1, 'the run still reports the row it could not send');
  t.same(rejected(), { today: 0, total: 1 }, 'the second night reads the same bad row: still one rejection');
  t.equal(store.countRejections({ openOnly: true }), 1, 'and one open rejection to fix');
  t.equal(store.jobStats()[0]!.total.rowsRead, 4, 'every row read still counts as read');

  store.commitPage(page('penalties', [], { rejections: [refused('8', [blank])], cursor: null }));
  t.same(rejected(), { today: 1, total: 2 }, 'a different bad row is a new rejection');

  store.commitPage(page('penalties', [], { rejections: [refused('7', [blank, { field: 'CF_JDRQ', code: 'DATE', message: '日期无效' }])], cursor: null }));
  t.same(rejected(), { today: 2, total: 3 }, 'the same row refused for another reason is a new rejection');

  store.commitPage(page('penalties', [rec('8')], { cursor: null }));
  store.commitPage(page('penalties', [], { rejections: [refused('8', [blank])], cursor: null }));
  t.same(rejected(), { today: 3, total: 4 }, 'a row fixed and then broken again is a new rejection');

  store.commitPage(page('penalties', [], { rejections: [refused('9', []), refused('9b', [])], cursor: null }));
  store.commitPage(page('penalties', [], { rejections: [refused('9', [])], cursor: null }));
  t.same(rejected(), { today: 5, total: 6 }, 'a rejection without findings repeats like any other');
  t.same(store.categoryStats()[0]!.total.rejectedLocal, 6, 'the category counter follows the same rule');
});
