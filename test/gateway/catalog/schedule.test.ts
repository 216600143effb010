import t from 'tap';
import { frequencyToSchedule } from '../../../gateway/catalog/schedule.js';

t.test('实时 polls every realtimePollSecs seconds', async (t) => {
  t.same(frequencyToSchedule('实时', 60), { intervalSecs: 60 });
  t.same(frequencyToSchedule('实时', 5), { intervalSecs: 5 });
});

t.test('periodic frequencies run at 02:00 by cron', async (t) => {
  t.same(frequencyToSchedule('每日', 60), { cron: '0 2 * * *' });
  t.same(frequencyToSchedule('每天', 60), { cron: '0 2 * * *' });
  t.same(frequencyToSchedule('每周', 60), { cron: '0 2 * * 1' });
  t.same(frequencyToSchedule('每月', 60), { cron: '0 2 1 * *' });
  t.same(frequencyToSchedule('每季度', 60), { cron: '0 2 1 1,4,7,10 *' });
  t.same(frequencyToSchedule('每年', 60), { cron: '0 2 1 1 *' });
});

t.test('an unknown frequency is refused with the known ones listed', async (t) => {
  t.throws(() => frequencyToSchedule('每小时', 60), { message: /unknown catalog frequency "每小时"; expected one of 实时, 每日/ });
});

t.test('a realtime poll interval must be a positive whole number', async (t) => {
  t.throws(() => frequencyToSchedule('实时', 0), /positive whole number/);
  t.throws(() => frequencyToSchedule('实时', 1.5), /positive whole number/);
});
