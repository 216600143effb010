/**
 * What of a production package goes into the release: what Node reads at
 * run time, and every licence; not declarations, maps, docs, tests.
 */
import t from 'tap';
import { isLegalFile, isRuntimeFile } from '../../../scripts/release/runtime-files.js';

const plain = { main: 'lib/index.js' };

t.test('code and data Node reads are kept', async (t) => {
  for (const f of ['lib/index.js', 'index.cjs', 'esm/index.mjs', 'package.json', 'build/Release/better_sqlite3.node', 'data/codes.txt', 'lib/locales/zh.json']) {
    t.ok(isRuntimeFile(f, plain, false), f);
  }
});

t.test('what no runtime reads is left out', async (t) => {
  for (const f of ['index.d.ts', 'lib/index.d.mts', 'lib/index.d.cts', 'src/parser.ts', 'lib/index.js.map', 'README.md', 'docs/API.markdown', '.eslintrc', '.eslintrc.json', '.nycrc', '.editorconfig', '.npmignore', 'tsconfig.json', '.github/FUNDING.yml']) {
    t.notOk(isRuntimeFile(f, plain, false), f);
  }
  for (const d of ['test', 'tests', '__tests__', 'example', 'examples', 'benchmark', '.github']) t.notOk(isRuntimeFile(d, plain, true), `the folder ${d}`);
});

t.test('licences are kept whatever their name and extension', async (t) => {
  for (const f of ['LICENSE', 'LICENSE.md', 'license.txt', 'LICENCE', 'LICENSE-MIT', 'NOTICE', 'NOTICE.md', 'COPYING', 'lib/vendor/LICENSE.md']) {
    t.ok(isRuntimeFile(f, plain, false), f);
    t.ok(isLegalFile(f), `${f} is a legal file`);
  }
  t.notOk(isLegalFile('licensing-helper.js'), 'a module named like one is not');
});

t.test('a development folder the package reaches from its entry points is kept', async (t) => {
  t.ok(isRuntimeFile('test', { main: './test/index.js' }, true), 'main');
  t.ok(isRuntimeFile('examples/run.js', { exports: { './run': './examples/run.js' } }, false), 'exports');
  t.notOk(isRuntimeFile('test', { main: './lib/test.js' }, true), 'a file named test elsewhere does not count');
  t.ok(isRuntimeFile('lib/test/helper.js', plain, false), 'and only the folder in the package root is a development folder');
});
