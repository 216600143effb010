import t from 'tap';
import { createCatalog, requireProvider } from '../../../gateway/catalog/catalog.js';
import { loadCatalog } from '../../../gateway/catalog/load.js';
import type { CatalogFile } from '../../../gateway/catalog/types.js';

const catalog = loadCatalog();

t.test('the shipped catalog: 69 providers, 490 categories', async (t) => {
  t.equal(catalog.providers.length, 69);
  t.equal(catalog.categories.length, 490);
  t.equal(catalog.source, '黄信用〔2017〕4号 附件3');
});

t.test('it is read once and frozen', async (t) => {
  t.equal(loadCatalog(), catalog);
  t.ok(Object.isFrozen(catalog));
  t.ok(Object.isFrozen(catalog.categories[0]));
  t.throws(() => {
    (catalog.categories[0] as { name: string }).name = 'x';
  });
});

t.test('byCode finds a category', async (t) => {
  t.match(catalog.byCode('P07-002'), { providerName: '市人社局', name: '行政处罚信息' });
  t.match(catalog.byCode('p07-002'), { code: 'P07-002' });
  t.equal(catalog.byCode('P15-011'), undefined, 'a dropped duplicate has no category');
  t.equal(catalog.byCode('P99-001'), undefined);
});

t.test('provider finds by code, name or alias, whatever the brackets or spaces', async (t) => {
  t.equal(catalog.provider('P09')?.name, '市城乡建设委员会');
  t.equal(catalog.provider('市城乡建设委员会')?.code, 'P09');
  t.equal(catalog.provider('市建委')?.code, 'P09');
  t.equal(catalog.provider('市法院')?.code, 'P05');
  t.equal(catalog.provider('市食药监局')?.code, 'P06');
  t.equal(catalog.provider('市公积金中心')?.code, 'P14');
  t.equal(catalog.provider('市规划局(市测绘地理信息局)')?.code, 'P19');
  t.equal(catalog.provider('中石油昆仑城投 燃气公司')?.code, 'P54');
  t.equal(catalog.provider('p69')?.code, 'P69');
  t.equal(catalog.provider('市建设局'), undefined);
});

t.test('categoriesOf lists a provider in notice order', async (t) => {
  t.same(catalog.categoriesOf('P14').map((c) => c.name), ['登记、注册、备案信息', '分类监管信息', '行政处罚信息']);
  t.equal(catalog.categoriesOf('P15').length, 13);
  t.same(catalog.categoriesOf('P99'), []);
});

t.test('requireProvider names close matches for an unknown provider', async (t) => {
  t.throws(() => requireProvider(catalog, '市建设委'), {
    code: 'CATALOG_UNKNOWN_PROVIDER',
    message: /unknown provider "市建设委"; close matches: .*黄石市住房和城乡建设局 \(市住建局; 2017: 市城乡建设委员会\)/,
  });
  t.throws(() => requireProvider(catalog, 'xyz'), { message: /unknown provider "xyz"; list providers with `credit-gateway catalog`/ });
});

const tiny = (): CatalogFile => ({
  source: 's',
  providers: [{ code: 'P01', name: '市甲局', aliases: ['甲局'], annex2Count: null, categories: 1 }],
  categories: [{
    code: 'P01-001', provider: 'P01', providerName: '市甲局', name: '表彰信息', frequency: '实时',
    subjectKind: 'both', infoType: '表彰荣誉', row: 1,
  }],
  duplicates: [],
});

t.test('a catalog file whose parts disagree is refused', async (t) => {
  t.ok(createCatalog(tiny()).provider('甲局'));
  const wrongCount = tiny();
  wrongCount.providers[0]!.categories = 2;
  t.throws(() => createCatalog(wrongCount), { code: 'CATALOG_INVALID', message: /P01 says 2 categories, lists 1/ });
  const wrongType = tiny();
  (wrongType.categories[0] as { infoType: string }).infoType = '其他';
  t.throws(() => createCatalog(wrongType), /unknown infoType 其他/);
  const wrongFrequency = tiny();
  wrongFrequency.categories[0]!.frequency = '偶尔';
  t.throws(() => createCatalog(wrongFrequency), /unknown frequency 偶尔/);
  const orphan = tiny();
  orphan.categories[0]!.provider = 'P02';
  t.throws(() => createCatalog(orphan), /does not match provider P02/);
  t.throws(() => createCatalog({} as CatalogFile), /expected providers, categories and duplicates arrays/);
});

t.test('a missing catalog file is a CATALOG_INVALID error naming the path', async (t) => {
  t.throws(() => loadCatalog('/nonexistent/catalog.json'), { code: 'CATALOG_INVALID', message: /\/nonexistent\/catalog.json/ });
});
