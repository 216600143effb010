import t from 'tap';
import { detectDateFormat } from '../../../gateway/init/date-formats.js';

const rows = (...values: (string | number | null)[]) => values.map((d) => ({ d }));

t.test('a column the default reads needs no date rule', async (t) => {
  t.equal(detectDateFormat(rows('2026-01-02', '2025-12-31T16:00:00.000Z', null), 'd'), null);
  t.equal(detectDateFormat(rows(), 'd'), null, 'nothing sampled: nothing claimed');
  t.equal(detectDateFormat(rows(null, ''), 'd'), null);
});

t.test('the one format that reads every sampled value is proposed, with the count it was judged from', async (t) => {
  t.same(detectDateFormat(rows('20260102', '20251231', null, '长期'), 'd'), { format: 'YYYYMMDD', sampled: 2 });
  t.same(detectDateFormat(rows('2026/1/2', '2025/12/31'), 'd'), { format: 'YYYY/MM/DD', sampled: 2 });
  t.same(detectDateFormat(rows('2026年1月2日'), 'd'), { format: 'zh', sampled: 1 });
});

t.test('values no one format reads are left to the probe, not guessed', async (t) => {
  t.equal(detectDateFormat(rows('20260102', '2026/01/02'), 'd'), null);
  t.equal(detectDateFormat(rows('soon', 'later'), 'd'), null);
});
