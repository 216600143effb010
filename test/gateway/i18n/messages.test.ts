import t from 'tap';
import { MESSAGES, pickLang, text, translator } from '../../../gateway/i18n/messages.js';

t.test('the Chinese and English tables say the same things', async (t) => {
  const zh = Object.keys(MESSAGES.zh).sort();
  const en = Object.keys(MESSAGES.en).sort();
  t.same(en, zh, 'the same keys');
  for (const key of zh) {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    t.same(holes(MESSAGES.en[key as keyof typeof MESSAGES.en]), holes(MESSAGES.zh[key as keyof typeof MESSAGES.zh]), `${key} has the same placeholders`);
    t.not(MESSAGES.en[key as keyof typeof MESSAGES.en], '', `${key} is not empty in English`);
  }
});

t.test('Chinese unless asked otherwise: the query wins, then the cookie', async (t) => {
  t.equal(pickLang(undefined, undefined), 'zh');
  t.equal(pickLang('en', undefined), 'en');
  t.equal(pickLang(undefined, 'en'), 'en');
  t.equal(pickLang('zh', 'en'), 'zh');
  t.equal(pickLang('fr', undefined), 'zh', 'an unknown language is Chinese');
});

t.test('messages fill their placeholders, and the HTML form escapes what is filled in', async (t) => {
  t.equal(text('zh', 'action.jobStarted', { name: 'penalties' }), '已开始运行任务 penalties');
  t.equal(text('en', 'action.jobStarted', { name: 'penalties' }), 'Job penalties started');
  t.equal(translator('zh')('action.jobUnknown', { name: '<b>x</b>' }), '没有名为 &#60;b&#62;x&#60;/b&#62; 的任务');
});

t.test('a message names data as data: escaped, marked, and never translated', async (t) => {
  t.equal(translator('en')('declare.title', { name: { data: '行政处罚<信息>' } }), 'Declare no data this period: <span data-zh>行政处罚&#60;信息&#62;</span>');
  t.equal(text('en', 'declare.title', { name: { data: '行政处罚信息' } }), 'Declare no data this period: 行政处罚信息');
  t.equal(text('en', 'schedule.fromCatalog', { schedule: { key: 'schedule.every', params: { secs: 30 } } }), 'every 30 s (from the catalog frequency)', 'a message inside a message, in the same language');
  t.equal(text('zh', 'schedule.fromCatalog', { schedule: { key: 'schedule.every', params: { secs: 30 } } }), '每 30 秒（按目录频率）');
});
