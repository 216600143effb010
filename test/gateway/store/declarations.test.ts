import t from 'tap';
import { openStore } from './helpers.js';

t.test('a declaration is kept per category and period, and a second one replaces the first', async (t) => {
  const { store, reopen } = openStore(t);
  t.same(store.declarations(), []);
  store.declareNoData({ category: 'P07-002', period: '2026-11', at: '2026-11-27T02:00:00.000Z', by: '张三', note: '本月无行政处罚' });
  store.declareNoData({ category: 'P07-001', period: '2026-11', at: '2026-11-27T02:01:00.000Z', by: null, note: null });
  store.declareNoData({ category: 'P07-002', period: '2026-10', at: '2026-10-30T02:00:00.000Z', by: '张三', note: null });
  store.declareNoData({ category: 'P07-002', period: '2026-11', at: '2026-11-28T03:00:00.000Z', by: '李四', note: '更正：本月确无数据' });
  const expected = [
    { category: 'P07-001', period: '2026-11', at: '2026-11-27T02:01:00.000Z', by: null, note: null },
    { category: 'P07-002', period: '2026-10', at: '2026-10-30T02:00:00.000Z', by: '张三', note: null },
    { category: 'P07-002', period: '2026-11', at: '2026-11-28T03:00:00.000Z', by: '李四', note: '更正：本月确无数据' },
  ];
  t.same(store.declarations(), expected);
  store.close();
  t.same(reopen().declarations(), expected, 'kept across a restart');
});
