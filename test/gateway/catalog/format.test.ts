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

t.test('a merged department of today: its categories grouped by the 2017 provider each came from', async (t) => {
  const text = formatCatalog(catalog, { provider: '市市场监管局' });
  const lines = text.trimEnd().split('\n');
  t.match(lines[0], /^黄石市市场监督管理局 \(市市场监督管理局, 市场监督管理局, 市市场监管局, 市场监管局, 黄石市市场监管局\): merged in the 2018–2019 reorganisation, 84 categories from 5 providers of 2017$/);
  t.match(lines[1], /^ {2}source: .*深化党和国家机构改革方案.*黄石市机构改革方案/);
  t.equal(lines[2], '  assumed: follows the national and provincial plans; the city\'s own document was not checked');
  t.same(lines.filter((l) => l.startsWith('from 2017 ')), [
    'from 2017 P01 市工商局: 23 categories, 附件2: 26',
    'from 2017 P02 市质监局: 24 categories, 附件2: 26',
    'from 2017 P06 市食品药品监督管理局 (市食药监局): 34 categories, 附件2: 35',
    'from 2017 P15 市科学技术局 (市科技局): 1 of 13 categories, 附件2: 15',
    'from 2017 P35 市物价局: 2 categories, 附件2: 2',
  ]);
  const rows = lines.filter((l) => /^ {2}P\d\d-\d{3} /.test(l));
  t.equal(rows.length, 84, 'one row per category');
  t.match(text, /from 2017 P15 [^\n]*\n {2}note: patent administration[^\n]*\n {2}code +name[^\n]*\n {2}P15-010 {2}专利侵权纠纷信息/);
  t.equal(lines.at(-1), '5 providers of 2017, 84 categories (黄信用〔2017〕4号 附件3; names of today: seeds/departments-2019.json)');
});

t.test('a merged department as JSON: the catalog selection and how it was put together', async (t) => {
  const json = JSON.parse(formatCatalog(catalog, { provider: '国家税务总局黄石市税务局', json: true })) as CatalogFile & { department: Record<string, unknown> };
  t.same(json.providers.map((p) => p.code), ['P36', 'P46']);
  t.equal(json.categories.length, 35);
  t.same(json.duplicates.map((d) => d.code), ['P36-013', 'P46-011']);
  t.match(json.department, { name: '国家税务总局黄石市税务局', change: 'merged', assumed: false, parts: [{ provider: 'P36', whole: true }, { provider: 'P46', whole: true }] });
  const market = JSON.parse(formatCatalog(catalog, { provider: '市场监管局', json: true })) as CatalogFile;
  t.same(market.duplicates.filter((d) => d.provider === 'P15').map((d) => d.code), ['P15-011'], 'the dropped repeat of the patent row goes where the patent row went');
  const science = JSON.parse(formatCatalog(catalog, { provider: '黄石市科学技术局', json: true })) as CatalogFile;
  t.same(science.duplicates.map((d) => d.code), ['P15-009'], 'and not with the rest of P15');
});

t.test('a 2017 name prints the provider as in 2017 and says where it is today', async (t) => {
  const text = formatCatalog(catalog, { provider: '市工商局' });
  t.match(text, /^P01 市工商局: 23 categories, 附件2: 26\n/);
  t.match(text, /\n\nsince the 2018–2019 reorganisation: 黄石市市场监督管理局 \(merged, assumed\)\n\n1 provider, 23 categories/);
  t.match(formatCatalog(catalog, { provider: 'P15' }), /since the 2018–2019 reorganisation: 黄石市市场监督管理局 \(merged, P15-010, assumed\); 黄石市科学技术局 \(split, 12 of 13 categories, assumed\)/);
  t.match(formatCatalog(catalog, { provider: '市国税局' }), /since the 2018–2019 reorganisation: 国家税务总局黄石市税务局 \(merged\)\n/, 'not assumed: the national plan decides');
});

t.test('a new department that feeds no 2017 category says so', async (t) => {
  const text = formatCatalog(catalog, { provider: '市医保局' });
  t.match(text, /^黄石市医疗保障局 \([^)]*\): new in the 2018–2019 reorganisation, feeds no category of the 2017 catalog\n/);
  t.match(text, /\n {2}note: new: medical insurance/);
  t.match(text, /0 providers of 2017, 0 categories/);
});
