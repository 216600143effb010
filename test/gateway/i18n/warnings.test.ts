/** A warning in words (i18n/warnings.ts): the status page and the probe say it alike, in Chinese exactly as the gateway made it, and in English. */
import t from 'tap';
import { WARNINGS } from '../../../gateway/jobs/warnings.js';
import { text } from '../../../gateway/i18n/messages.js';
import { warningSaid } from '../../../gateway/i18n/warnings.js';

t.test('the page says each job warning in Chinese exactly as the gateway made it, and has it in English', async (t) => {
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
