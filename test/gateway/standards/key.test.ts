/** Every standard names its identifying fields, so a row read from a file has a stable record key. */
import t from 'tap';
import { createStandards, loadStandards, StandardsError, type SeedFile } from '../../../gateway/standards/index.js';

const shipped = loadStandards();

function seedsWith(code: string, key: unknown): SeedFile[] {
  const tables = { file: 'code-tables.json', content: { tables: Object.values(structuredClone(shipped.codeTables)) } };
  return [
    tables,
    ...shipped.list.map(({ codeTables: _tables, ...file }) => ({
      file: `${file.code}.json`,
      content: (file.code === code ? { ...structuredClone(file), key } : structuredClone(file)) as unknown,
    })),
  ];
}

function problemsOf(files: SeedFile[]) {
  try {
    createStandards(files);
  } catch (err) {
    if (err instanceof StandardsError) return [...err.problems];
    throw err;
  }
  return [];
}

t.test('every shipped standard has a key of required fields or the subject code', async (t) => {
  for (const standard of shipped.list) {
    t.ok(standard.key.length > 0, `${standard.code} has a key`);
    for (const code of standard.key) {
      const field = standard.fields.find((f) => f.code === code);
      t.ok(field && (field.required || field.subject === 'legalCode' || field.subject === 'naturalCode'), `${standard.code} ${code}`);
    }
  }
  t.same(shipped.byCode('xzcf')!.key, ['CF_WSH', 'CF_XDR_SHXYM']);
  t.same(shipped.byCode('xzxk')!.key, ['XK_WSH', 'XK_XDR_SHXYM']);
});

t.test('a key naming no field, a field twice, or an optional field is refused with its member', async (t) => {
  t.match(problemsOf(seedsWith('xzcf', ['CF_WSH', 'CF_NOPE'])), [{ file: 'xzcf.json', path: 'key[1]', message: /no field CF_NOPE/ }]);
  t.match(problemsOf(seedsWith('xzcf', ['CF_WSH', 'CF_WSH'])), [{ file: 'xzcf.json', path: 'key[1]', message: /repeats/ }]);
  t.match(problemsOf(seedsWith('xzcf', ['CF_WSH', 'BZ'])), [{ file: 'xzcf.json', path: 'key[1]', message: /neither required/ }]);
  t.match(problemsOf(seedsWith('xzcf', [])), [{ file: 'xzcf.json', path: 'key' }]);
});
