import t from 'tap';
import { BIG, Clock, T0, idFor, newId, openStore, page, rec, refused } from './helpers.js';

const checkDigit = { field: 'CREDIT_CODE', code: 'ID_CHECK_DIGIT', message: '统一社会信用代码校验位错误' };
const missingDate = { field: 'PUNISH_DATE', code: 'REQUIRED', message: '处罚决定日期不能为空' };

t.test('a refused row is kept with one entry per finding', async (t) => {
  const { store } = openStore(t);
  t.match(store.commitPage(page('penalties', [rec('1')], { rejections: [refused('2', [checkDigit, missingDate])] })), {
    queued: 1, unchanged: 0, rejected: 1,
  });
  const rows = store.listRejections();
  t.equal(rows.length, 2);
  t.match(rows, [
    { source: 'local', job: 'penalties', category: 'P07-002', recordId: idFor('2'), key: '2', field: 'PUNISH_DATE', code: 'REQUIRED', batchId: null, resolvedAt: null, at: T0 },
    { field: 'CREDIT_CODE', code: 'ID_CHECK_DIGIT', message: '统一社会信用代码校验位错误' },
  ]);
});

t.test('a row refused again replaces its earlier findings', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [], { rejections: [refused('2', [checkDigit, missingDate])] }));
  store.commitPage(page('penalties', [], { rejections: [refused('2', [missingDate])] }));
  t.same(store.listRejections().map((r) => r.code), ['REQUIRED']);
  t.equal(store.countRejections({ openOnly: true }), 1);
});

t.test('a row that passes later resolves its findings, which stay as history', async (t) => {
  const clock = new Clock();
  const { store } = openStore(t, clock);
  store.commitPage(page('penalties', [], { rejections: [refused('2', [checkDigit])] }));
  clock.advance(3_600_000);
  store.commitPage(page('penalties', [rec('2')]));
  t.equal(store.countRejections({ openOnly: true }), 0);
  t.match(store.listRejections(), [{ code: 'ID_CHECK_DIGIT', resolvedAt: '2026-11-26T13:00:00.000Z' }]);
  store.commitPage(page('penalties', [], { rejections: [refused('2', [missingDate])] }));
  t.same(store.listRejections().map((r) => [r.code, r.resolvedAt === null]), [['REQUIRED', true], ['ID_CHECK_DIGIT', false]],
    'a new fault does not erase the resolved history');
});

t.test('a refused row without findings is still kept', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [], { rejections: [refused('2', [])] }));
  t.match(store.listRejections(), [{ code: 'UNSPECIFIED', field: null, recordId: idFor('2') }]);
});

t.test('platform rejections are kept per record and resolved when a later version is accepted', async (t) => {
  const { store } = openStore(t);
  store.commitPage(page('penalties', [rec('1', { NAME: 'bad' }), rec('2')]));
  const batch = store.nextBatch(BIG, newId)!;
  store.acknowledge(batch.batchId, { rejected: [{ id: idFor('1'), code: 'P_FIELD', message: '字段不符合标准' }], at: T0 });
  t.match(store.listRejections({ source: 'platform', openOnly: true }), [
    { source: 'platform', job: 'penalties', category: 'P07-002', recordId: idFor('1'), key: '1', field: null, code: 'P_FIELD', message: '字段不符合标准', batchId: batch.batchId, resolvedAt: null },
  ]);

  store.commitPage(page('penalties', [rec('1', { NAME: 'still bad' })]));
  const second = store.nextBatch(BIG, newId)!;
  store.acknowledge(second.batchId, { rejected: [{ id: idFor('1'), code: 'P_OTHER', message: '另一个问题' }], at: '2026-11-26T13:00:00.000Z' });
  t.same(store.listRejections({ source: 'platform', openOnly: true }).map((r) => r.code), ['P_OTHER'], 'only the newest refusal is open');

  store.commitPage(page('penalties', [rec('1', { NAME: 'good' })]));
  store.acknowledge(store.nextBatch(BIG, newId)!.batchId, { rejected: [], at: '2026-11-26T14:00:00.000Z' });
  t.equal(store.countRejections({ source: 'platform', openOnly: true }), 0);
  t.equal(store.countRejections({ source: 'platform' }), 2);
});

t.test('rejections are listed newest first, filtered and paged', async (t) => {
  const { store } = openStore(t);
  for (let i = 0; i < 5; i++) {
    store.commitPage(page(i % 2 === 0 ? 'even' : 'odd', [], {
      rejections: [refused(String(i), [i === 4 ? missingDate : checkDigit], { category: i < 3 ? 'P07-002' : 'L01-001' })],
    }));
  }
  t.same(store.listRejections().map((r) => r.key), ['4', '3', '2', '1', '0']);
  t.same(store.listRejections({ limit: 2, offset: 1 }).map((r) => r.key), ['3', '2']);
  t.same(store.listRejections({ job: 'even' }).map((r) => r.key), ['4', '2', '0']);
  t.same(store.listRejections({ category: 'L01-001' }).map((r) => r.key), ['4', '3']);
  t.same(store.listRejections({ code: 'REQUIRED' }).map((r) => r.key), ['4']);
  t.same(store.listRejections({ source: 'platform' }), []);
  t.equal(store.countRejections(), 5);
  t.equal(store.countRejections({ job: 'odd', category: 'P07-002' }), 1);
  t.equal(store.listRejections({ limit: 1_000_000 }).length, 5, 'a huge limit is capped, not refused');
});

t.test('a rejection keeps whom the row is about, for the page to show masked', async (t) => {
  const { store } = openStore(t);
  // The number its check-digit finding is about: wrong on purpose (420202199001011231 would be valid).
  const person = { ...refused('3', [checkDigit]), subject: { kind: 'natural', code: '420202199001011234' } };
  store.commitPage(page('penalties', [], { rejections: [person, refused('4', [missingDate])] }));
  const byKey = new Map(store.listRejections().map((r) => [r.key, r]));
  t.match(byKey.get('3'), { subjectKind: 'natural', subjectCode: '420202199001011234' });
  t.match(byKey.get('4'), { subjectKind: null, subjectCode: null }, 'unknown when the row carried none');
});
