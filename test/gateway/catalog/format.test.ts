import t from 'tap';
import { loadCatalog } from '../../../gateway/catalog/load.js';
import { displayWidth, formatCatalog } from '../../../gateway/catalog/format.js';
import type { CatalogFile } from '../../../gateway/catalog/types.js';

const catalog = loadCatalog();

t.test('the whole catalog: every provider with its count, then the total', async (t) => {
  const text = formatCatalog(catalog);
  t.match(text, /^P01 市工商局: 23 categories, 附件2: 26\n {2}code {5}name/);
  t.match(text, /\n {2}P07-002 {2}行政处罚信息 +both +行政处罚 +实时\n/);
  t.match(text, /\nP56 市广电台 \(广电台\): 6 categories, not in 附件2\n/);
  t.ok(text.endsWith('\n69 providers, 490 categories (黄信用〔2017〕4号 附件3)\n'));
  t.equal(text.match(/^P\d\d /gm)?.length, 69);
  t.equal(text.match(/^ {2}P\d\d-\d{3} /gm)?.length, 490);
});

t.test('one provider, found by its short name', async (t) => {
  const text = formatCatalog(catalog, { provider: '市建委' });
  const lines = text.trimEnd().split('\n');
  t.equal(lines[0], 'P09 市城乡建设委员会 (市建委): 17 categories, 附件2: 18');
  t.match(lines[1], /^ {2}code {5}name +subject {2}info type +frequency$/);
  t.equal(lines.filter((l) => /^ {2}P09-\d{3} /.test(l)).length, 17);
  t.equal(lines.at(-1), '1 provider, 17 categories (黄信用〔2017〕4号 附件3)');
});

t.test('columns line up even with Chinese names', async (t) => {
  const lines = formatCatalog(catalog, { provider: 'P09' }).split('\n').filter((l) => /^ {2}P09-/.test(l));
  const subjectColumn = lines.map((l) => displayWidth(l.slice(0, l.search(/ (both|legal|natural) /) + 1)));
  t.equal(new Set(subjectColumn).size, 1);
});

t.test('--json prints the selection as catalog JSON', async (t) => {
  const all = JSON.parse(formatCatalog(catalog, { json: true })) as CatalogFile;
  t.equal(all.providers.length, 69);
  t.equal(all.categories.length, 490);
  t.equal(all.duplicates.length, 12);
  const one = JSON.parse(formatCatalog(catalog, { provider: '市国税局', json: true })) as CatalogFile;
  t.same(one.providers.map((p) => p.code), ['P36']);
  t.equal(one.categories.length, 15);
  t.same(one.duplicates.map((d) => d.code), ['P36-013']);
  t.match(one.categories[1], { code: 'P36-002', name: '行政许可/行政确认信息', subjectKind: 'both', infoType: '行政许可' });
});

t.test('an unknown provider is an error listing close matches, today\'s names first', async (t) => {
  t.throws(() => formatCatalog(catalog, { provider: '市建设局' }), {
    code: 'CATALOG_UNKNOWN_PROVIDER',
    message: 'unknown provider "市建设局"; close matches: 黄石市住房和城乡建设局 (市住建局; 2017: 市城乡建设委员会)',
  });
  t.throws(() => formatCatalog(catalog, { provider: '市国地税局', json: true }), {
    message: 'unknown provider "市国地税局"; close matches: 市国税局 → 国家税务总局黄石市税务局, 市地税局 → 国家税务总局黄石市税务局',
  });
});

t.test('display width counts Chinese characters as two columns', async (t) => {
  t.equal(displayWidth('P07'), 3);
  t.equal(displayWidth('行政处罚'), 8);
  t.equal(displayWidth('（税务师）'), 10);
});
