import t from 'tap';
import { MESSAGES, pickLang, text, translator } from '../../../gateway/status/i18n.js';

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

t.test('the page says each job warning in Chinese exactly as the gateway made it, and has it in English', async (t) => {
  const { WARNINGS } = await import('../../../gateway/jobs/warnings.js');
  const { warningSaid } = await import('../../../gateway/status/verdict.js');
  const samples: Record<string, Record<string, string | number | string[] | null>> = {
    NULL_CURSOR_ROWS: { rows: 3, columns: ['updated_at', 'id'] },
    NULL_KEY_ROWS: { rows: 2, columns: ['id'] },
    WHOLE_SECOND_CURSOR: { column: 'updated_at', lagSecs: 5 },
    NUMERIC_CURSOR: { column: 'id' },
    LOOKBACK_IGNORED: { column: 'id' },
    HELD_BY_OPEN_TRANSACTION: { secs: 600, since: '2026-11-26T07:50:00.000Z' },
    TIME_ZONE_MISMATCH: { database: 'UTC', configured: 'Asia/Shanghai', columns: ['updated_at', 'jdrq'] },
    WRITABLE_ACCOUNT: {},
  };
  t.same(Object.keys(samples).sort(), Object.keys(WARNINGS).sort(), 'every warning code has a sample here');
  for (const [code, params] of Object.entries(samples)) {
    const spec = WARNINGS[code as keyof typeof WARNINGS];
    const message = (spec.message as (p: object) => string)(params);
    const values = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null)) as Record<string, string | number | string[]>;
    const said = warningSaid({ code, message, action: spec.action, params: values });
    const say = (lang: 'zh' | 'en', p: unknown) => (typeof p === 'object' && p !== null && 'key' in p ? text(lang, (p as { key: never }).key, (p as { params?: never }).params) : 'not said');
    t.equal(say('zh', said.message), message, `${code}: the same Chinese message`);
    t.equal(say('zh', said.action), spec.action, `${code}: the same Chinese action`);
    t.notMatch(say('en', said.message) + say('en', said.action), /\p{Script=Han}/u, `${code}: no Chinese in English`);
  }
  const unknownZone = (WARNINGS.TIME_ZONE_MISMATCH.message as (p: object) => string)({ database: 'UTC', configured: 'Asia/Shanghai', columns: null });
  t.equal(text('zh', 'warning.TIME_ZONE_MISMATCH', { database: 'UTC', configured: 'Asia/Shanghai', columns: '' }), unknownZone, 'a zone warning that cannot name its columns reads the same');
});

t.test('a message names data as data: escaped, marked, and never translated', async (t) => {
  t.equal(translator('en')('declare.title', { name: { data: '行政处罚<信息>' } }), 'Declare no data this period: <span data-zh>行政处罚&#60;信息&#62;</span>');
  t.equal(text('en', 'declare.title', { name: { data: '行政处罚信息' } }), 'Declare no data this period: 行政处罚信息');
  t.equal(text('en', 'schedule.fromCatalog', { schedule: { key: 'schedule.every', params: { secs: 30 } } }), 'every 30 s (from the catalog frequency)', 'a message inside a message, in the same language');
  t.equal(text('zh', 'schedule.fromCatalog', { schedule: { key: 'schedule.every', params: { secs: 30 } } }), '每 30 秒（按目录频率）');
});
