import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { REASONS, finding } from '../../../gateway/validation/reasons.js';
import { besideTest } from '../../helpers/beside.js';

const root = besideTest(import.meta.url, '../../../');
const folders = ['gateway/identifiers', 'gateway/mapping', 'gateway/validation'];

function sources(): { path: string; text: string }[] {
  return folders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => ({ path: join(folder, name), text: readFileSync(join(root, folder, name), 'utf8') })),
  );
}

const codePattern = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;

t.test('every reason code the checks use is in the catalogue', async (t) => {
  for (const { path, text } of sources()) {
    if (path.endsWith('reasons.ts')) continue;
    for (const [, code] of text.matchAll(codePattern)) t.ok(code! in REASONS, `${code} (${path})`);
  }
});

t.test('every code in the catalogue is used by some check', async (t) => {
  const all = sources().filter(({ path }) => !path.endsWith('reasons.ts')).map(({ text }) => text).join('\n');
  for (const code of Object.keys(REASONS)) t.match(all, `'${code}'`, code);
});

t.test('every message is Chinese and fills all its blanks', async (t) => {
  for (const [code, template] of Object.entries(REASONS)) {
    const params = Object.fromEntries([...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, 'x']));
    const f = (finding as (c: string, field: string, p: object) => { message: string })(code, 'F', params);
    t.notMatch(f.message, /[{}]/, code);
    t.match(f.message, /\p{Script=Han}/u, code);
  }
});

t.test('a finding names its field, its code and the filled message', async (t) => {
  t.same(finding('CREDIT_CODE_CHECK', 'subject.code', { expected: 'X' }), {
    field: 'subject.code', code: 'CREDIT_CODE_CHECK', message: '统一社会信用代码校验位错误：应为 X',
  });
});

t.test('a value quoted from a cell is masked as it is filled in, other values are quoted as they are', async (t) => {
  t.equal(finding('DATE_INVALID', 'CF_JDRQ', { field: 'CF_JDRQ', raw: 'ID420202198001011237' }).message, '字段 CF_JDRQ 的日期无法识别：ID420202********1237');
  t.equal(finding('CODE_UNMAPPED', 'X', { field: 'X', value: '420202199002154568', allowed: 'A、B' }).message, '字段 X 的值“420202********4568”不在作业配置的代码对照表中，允许的值：A、B');
  t.equal(finding('DATE_INVALID', 'CF_JDRQ', { field: 'CF_JDRQ', raw: '2026-13-45' }).message, '字段 CF_JDRQ 的日期无法识别：2026-13-45');
});
