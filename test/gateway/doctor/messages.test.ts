import t from 'tap';
import { EN, ZH, say } from '../../../gateway/doctor/messages.js';

t.test('every message exists in Chinese and in English', async (t) => {
  t.same(Object.keys(EN).sort(), Object.keys(ZH).sort());
});

t.test('every Chinese message is Chinese, every English one has no Chinese', async (t) => {
  const params = new Proxy({}, { get: (_, name) => `<${String(name)}>` }) as Record<string, string>;
  for (const key of Object.keys(ZH) as (keyof typeof ZH)[]) {
    if (key.startsWith('state.') && key !== 'state.skip') continue;
    t.match(say('zh', key, params), /[\u4e00-\u9fff]/, `${key} (zh)`);
    t.notMatch(say('en', key, params), /[\u4e00-\u9fff]/, `${key} (en)`);
  }
});
