import t from 'tap';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../../gateway/catalog/index.js';
import { standardFor } from '../../../gateway/standards/index.js';
import { writeDepartmentTemplates } from '../../../gateway/templates/write-department.js';

const catalog = loadCatalog();

t.test('a merged department gets one template per category of every provider it took over', async (t) => {
  const dir = join(t.testdir({}), 'templates', 'tax');
  const done = await writeDepartmentTemplates({ catalog, department: '市税务局', standardFor, format: 'xlsx', dir });
  t.equal(done.department, '国家税务总局黄石市税务局');
  t.equal(done.written.length, 15 + 20, '市国税局 and 市地税局');
  const files = readdirSync(dir);
  t.equal(files.length, 35, 'the folder is made');
  t.ok(files.some((f) => f.startsWith('P36-')) && files.some((f) => f.startsWith('P46-')));
});

t.test('an existing file stops the whole batch before anything is written, unless overwriting is asked for', async (t) => {
  const dir = t.testdir({});
  writeFileSync(join(dir, 'P39-002_行政处罚信息.csv'), 'filled in');
  await t.rejects(writeDepartmentTemplates({ catalog, department: '应急管理局', standardFor, format: 'csv', dir }), { code: 'TEMPLATE_FILE_EXISTS', message: /1 of them, e\.g\. .*P39-002_行政处罚信息\.csv/ });
  t.same(readdirSync(dir), ['P39-002_行政处罚信息.csv']);
  const done = await writeDepartmentTemplates({ catalog, department: '应急管理局', standardFor, format: 'csv', dir, overwrite: true });
  t.equal(done.written.length, 4);
  t.match(readFileSync(join(dir, 'P39-002_行政处罚信息.csv'), 'utf8'), /行政相对人名称/);
});

t.test('an unknown department names close ones; one with no category says so', async (t) => {
  const dir = t.testdir({});
  await t.rejects(writeDepartmentTemplates({ catalog, department: '市应急管里局', standardFor, format: 'csv', dir }), { code: 'CATALOG_UNKNOWN_PROVIDER', message: /黄石市应急管理局/ });
  await t.rejects(writeDepartmentTemplates({ catalog, department: '医保局', standardFor, format: 'csv', dir }), { code: 'TEMPLATE_NO_CATEGORIES', message: /黄石市医疗保障局/ });
});
