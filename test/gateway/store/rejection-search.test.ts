import t from 'tap';
import { Clock, openStore, page, refused } from './helpers.js';

const checkDigit = { field: 'CREDIT_CODE', code: 'ID_CHECK_DIGIT', message: '统一社会信用代码校验位错误' };
const HOUR = 3_600_000;

/** Five refused rows an hour apart from T0 (12:00Z), with keys a status page user would search for. */
function fiveRejections(t: Parameters<typeof openStore>[0]) {
  const clock = new Clock();
  const opened = openStore(t, clock);
  const keys = ['XZCF-2026-001', 'XZCF-2026-002', 'xzxk_2026%01', 'XZXK-2026-100', '黄石罚字〔2026〕7号'];
  for (const key of keys) {
    opened.store.commitPage(page('penalties', [], { rejections: [refused(key, [checkDigit], { observedAt: clock.now().toISOString() })] }));
    clock.advance(HOUR);
  }
  return opened;
}

t.test('rejections between two instants, both included', async (t) => {
  const { store } = fiveRejections(t);
  const between = { from: '2026-11-26T13:00:00.000Z', to: '2026-11-26T15:00:00.000Z' };
  t.same(store.listRejections(between).map((r) => r.key), ['XZXK-2026-100', 'xzxk_2026%01', 'XZCF-2026-002']);
  t.equal(store.countRejections(between), 3);
  t.same(store.listRejections({ from: '2026-11-26T15:00:00.000Z' }).map((r) => r.key), ['黄石罚字〔2026〕7号', 'XZXK-2026-100']);
  t.same(store.listRejections({ to: '2026-11-26T12:00:00.000Z' }).map((r) => r.key), ['XZCF-2026-001']);
});

t.test('bounds in China Standard Time or without milliseconds mean the same instants', async (t) => {
  const { store } = fiveRejections(t);
  t.same(store.listRejections({ from: '2026-11-26T21:00:00+08:00', to: '2026-11-26T23:00:00+08:00' }).map((r) => r.key),
    ['XZXK-2026-100', 'xzxk_2026%01', 'XZCF-2026-002']);
  t.equal(store.countRejections({ to: '2026-11-26T13:00:00Z' }), 2);
});

t.test('a search finds a part of the record key, whatever the letter case', async (t) => {
  const { store } = fiveRejections(t);
  t.same(store.listRejections({ q: 'xzcf' }).map((r) => r.key), ['XZCF-2026-002', 'XZCF-2026-001']);
  t.same(store.listRejections({ q: '2026' }).length, 5);
  t.same(store.listRejections({ q: '罚字' }).map((r) => r.key), ['黄石罚字〔2026〕7号']);
  t.equal(store.countRejections({ q: 'XZXK' }), 2);
  t.equal(store.countRejections({ q: '' }), 5, 'an empty search filters nothing');
});

t.test('% and _ in a search are plain characters, not wildcards', async (t) => {
  const { store } = fiveRejections(t);
  t.same(store.listRejections({ q: '%' }).map((r) => r.key), ['xzxk_2026%01']);
  t.same(store.listRejections({ q: '_' }).map((r) => r.key), ['xzxk_2026%01']);
  t.same(store.listRejections({ q: 'xzxk_' }).map((r) => r.key), ['xzxk_2026%01'], 'not XZXK-2026-100');
  t.same(store.listRejections({ q: '\\' }), []);
});

t.test('search, time window and the other filters combine', async (t) => {
  const { store } = fiveRejections(t);
  t.same(store.listRejections({ q: 'xz', from: '2026-11-26T13:00:00.000Z', to: '2026-11-26T14:00:00.000Z', openOnly: true }).map((r) => r.key),
    ['xzxk_2026%01', 'XZCF-2026-002']);
  t.same(store.listRejections({ q: 'xz', job: 'other' }), []);
});

t.test('one rejection by id, and a resend request kept on it', async (t) => {
  const { store, reopen } = fiveRejections(t);
  const newest = store.listRejections({ limit: 1 })[0]!;
  t.same(store.getRejection(newest.id), newest);
  t.equal(newest.resendRequestedAt, null);
  t.equal(store.getRejection(999_999), null);

  store.requestResend(newest.id, '2026-11-27T01:00:00.000Z');
  t.match(store.getRejection(newest.id), { resendRequestedAt: '2026-11-27T01:00:00.000Z', resolvedAt: null }, 'still open until the record passes');
  t.equal(store.listRejections({ limit: 2 })[1]!.resendRequestedAt, null, 'other rows are untouched');
  store.close();
  t.equal(reopen().getRejection(newest.id)?.resendRequestedAt, '2026-11-27T01:00:00.000Z');
});

t.test('the commonest reasons, counted by code and field, each with its newest message, within the filters', async (t) => {
  const clock = new Clock();
  const { store } = openStore(t, clock);
  const missing = { field: 'CF_XDR_SHXYM', code: 'REQUIRED_MISSING', message: '缺少必填字段 统一社会信用代码' };
  const badDate = (n: number) => ({ field: 'CF_JDRQ', code: 'DATE_INVALID', message: `“2026-13-0${n}”不是日期` });
  const rows = [
    refused('1', [missing, badDate(1)]), refused('2', [missing]), refused('3', [missing, badDate(3)]), refused('4', [checkDigit]),
  ];
  store.commitPage(page('penalties', [], { rejections: rows }));
  store.commitPage(page('permits', [], { rejections: [refused('9', [checkDigit])] }));
  t.same(store.rejectionReasons({ job: 'penalties' }), [
    { source: 'local', code: 'REQUIRED_MISSING', field: 'CF_XDR_SHXYM', count: 3, example: missing.message },
    { source: 'local', code: 'DATE_INVALID', field: 'CF_JDRQ', count: 2, example: '“2026-13-03”不是日期' },
    { source: 'local', code: 'ID_CHECK_DIGIT', field: 'CREDIT_CODE', count: 1, example: checkDigit.message },
  ]);
  t.same(store.rejectionReasons({ job: 'penalties' }, 1).map((r) => r.code), ['REQUIRED_MISSING'], 'at most the limit');
  t.same(store.rejectionReasons({}).find((r) => r.code === 'ID_CHECK_DIGIT')?.count, 2, 'every job without a filter');
  t.same(store.rejectionReasons({ job: 'penalties', from: clock.now().toISOString(), code: 'DATE_INVALID' }).map((r) => r.count), [2]);
  t.same(store.rejectionReasons({ job: 'nobody' }), []);
});
