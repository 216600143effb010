import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { REASONS, finding } from '../../../gateway/validation/reasons.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
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
