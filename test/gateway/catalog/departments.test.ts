import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCatalog } from '../../../gateway/catalog/catalog.js';
import { gatewayDepartment, requireDepartment, resolveDepartment } from '../../../gateway/catalog/department-lookup.js';
import { loadCatalog } from '../../../gateway/catalog/load.js';
import type { CatalogFile, DepartmentsFile } from '../../../gateway/catalog/types.js';
import { seedsPath } from '../../../gateway/paths.js';

const catalog = loadCatalog();
const catalogFile = JSON.parse(readFileSync(seedsPath('catalog.json'), 'utf8')) as CatalogFile;
const departmentsFile = (): DepartmentsFile => JSON.parse(readFileSync(seedsPath('departments-2019.json'), 'utf8')) as DepartmentsFile;

const codes = (name: string) => resolveDepartment(catalog, name)?.providers.map((p) => p.code);

/** Today's name → every name that must find it → the 2017 providers it feeds. */
const TODAY: [string, string[], string[]][] = [
  ['黄石市市场监督管理局', ['市市场监督管理局', '市场监督管理局', '市市场监管局', '市场监管局', '黄石市市场监管局'], ['P01', 'P02', 'P06', 'P15', 'P35']],
  ['国家税务总局黄石市税务局', ['黄石市税务局', '市税务局', '税务局'], ['P36', 'P46']],
  ['黄石海关', [], ['P34']],
  ['黄石市生态环境局', ['市生态环境局', '生态环境局', '市环保局'], ['P08']],
  ['黄石市应急管理局', ['市应急管理局', '应急管理局', '市应急局', '市安监局'], ['P39']],
  ['黄石市自然资源和规划局', ['市自然资源和规划局', '自然资源和规划局', '市自然资源局', '自然资源局'], ['P18', 'P19']],
  ['黄石市卫生健康委员会', ['市卫生健康委员会', '卫生健康委员会', '市卫健委', '卫健委', '市卫计委', '市卫生和计划生育委员会'], ['P10']],
  ['黄石市文化和旅游局', ['市文化和旅游局', '文化和旅游局', '市文旅局', '文旅局', '市文新广局'], ['P38']],
  ['黄石市农业农村局', ['市农业农村局', '农业农村局', '市农业局', '黄石市农业局'], ['P48']],
  ['黄石市发展和改革委员会', ['市发展和改革委员会', '发展和改革委员会'], ['P25', 'P32']],
  ['黄石市医疗保障局', ['市医疗保障局', '医疗保障局', '市医保局', '医保局'], []],
  ['黄石市商务局', ['市商务局', '商务局', '市商务委', '市商委'], ['P28']],
  ['黄石市经济和信息化局', ['市经济和信息化局', '市经信局', '经信局', '市经信委'], ['P62']],
  ['黄石市住房和城乡建设局', ['市住房和城乡建设局', '市住建局', '住建局', '市城乡建设委员会', '市建委'], ['P09']],
  ['黄石市水利和湖泊局', ['市水利和湖泊局', '市水利局', '水利局', '市水利水产局'], ['P33']],
  ['黄石市司法局', ['市司法局', '司法局'], ['P12']],
  ['黄石市科学技术局', ['黄石市科技局'], ['P15']],
  ['中共黄石市委外事工作委员会办公室', ['市委外办', '市外办', '市政府外侨办', '市外侨办'], ['P64']],
  ['黄石市人力资源和社会保障局', ['市人力资源和社会保障局', '人社局', '市人社局', 'P07'], ['P07']],
];

t.test('today\'s names and their short forms find the department, with the 2017 providers it took over', async (t) => {
  for (const [name, forms, providers] of TODAY) {
    for (const form of [name, ...forms]) {
      const found = resolveDepartment(catalog, form);
      t.equal(found?.name, name, `${form} → ${name}`);
      t.same(found?.providers.map((p) => p.code), providers, `${form} feeds ${providers.join(', ') || 'nothing'}`);
    }
  }
  t.equal(resolveDepartment(catalog, ' 市场监管局 ')?.name, '黄石市市场监督管理局', 'spaces do not matter');
});

t.test('a merged department feeds every category of the providers it took over, and only its part of a split one', async (t) => {
  const market = requireDepartment(catalog, '市市场监管局');
  const expected = [
    ...catalog.categoriesOf('P01'), ...catalog.categoriesOf('P02'), ...catalog.categoriesOf('P06'),
    catalog.byCode('P15-010')!, ...catalog.categoriesOf('P35'),
  ].map((c) => c.code);
  t.same(market.categories.map((c) => c.code), expected);
  t.equal(market.categories.length, 23 + 24 + 34 + 1 + 2);
  t.same(market.parts.map((p) => [p.provider.code, p.whole]), [['P01', true], ['P02', true], ['P06', true], ['P15', false], ['P35', true]]);
  const science = requireDepartment(catalog, '黄石市科学技术局');
  t.equal(science.categories.length, 12);
  t.notOk(science.categories.some((c) => c.code === 'P15-010'), 'patents went to 市场监管局');
  t.equal(requireDepartment(catalog, '市税务局').categories.length, 15 + 20);
  t.equal(requireDepartment(catalog, '市医保局').categories.length, 0, 'a new department feeds no 2017 category');
});

t.test('a 2017 name keeps its 2017 meaning, and says where its categories are today', async (t) => {
  const old = resolveDepartment(catalog, '市工商局')!;
  t.equal(old.change, '2017');
  t.same(old.providers.map((p) => p.code), ['P01']);
  t.equal(old.categories.length, 23);
  t.same(old.successors, ['黄石市市场监督管理局']);
  t.same(codes('市国税局'), ['P36']);
  t.same(codes('市发改委'), ['P32']);
  t.same(codes('P15'), ['P15']);
  t.equal(resolveDepartment(catalog, '市科技局')?.categories.length, 13, '市科技局 is all of P15, patents included');
  t.same(resolveDepartment(catalog, '市科技局')?.successors, ['黄石市市场监督管理局', '黄石市科学技术局']);
  t.equal(resolveDepartment(catalog, '市住房公积金管理中心')?.categories.length, 3, 'an unchanged department keeps its 2017 name');
  t.equal(resolveDepartment(catalog, '不存在的部门'), null);
});

t.test('every category of the 2017 catalog is fed by exactly one department of today', async (t) => {
  const home = new Map<string, string[]>();
  for (const d of catalog.departments) for (const c of d.categories) home.set(c.code, [...(home.get(c.code) ?? []), d.name]);
  t.equal(home.size, 490);
  t.same([...home.values()].filter((names) => names.length !== 1), []);
  const covered = new Set(catalog.departments.flatMap((d) => d.providers.map((p) => p.code)));
  t.equal(covered.size, 69, 'all 69 providers were checked against the reorganisation');
});

t.test('each mapping cites its documents, and one that rests on the unread city plan says it is assumed', async (t) => {
  const file = departmentsFile();
  for (const entry of file.departments) {
    t.ok(entry.sources.length > 0, `${entry.name} cites a source`);
    const reasoned = entry.sources.some((s) => s === 'central-2018' || s === 'tax-2018' || s === 'outside');
    const onCityPlan = entry.sources.includes('huangshi-2019');
    if (onCityPlan) t.equal(entry.assumed, true, `${entry.name}: the city plan was not checked, so the mapping is assumed`);
    else t.ok(reasoned, `${entry.name}: not assumed, so a national document or the reorganisation's scope decides it`);
    if (entry.assumed) t.ok(entry.note || entry.change !== 'unchanged', `${entry.name}: an assumed entry says what was assumed`);
  }
  t.match(requireDepartment(catalog, '市税务局'), { assumed: false, source: /国税地税征管体制改革方案/ });
  t.match(requireDepartment(catalog, '市场监管局'), { assumed: true, source: /深化党和国家机构改革方案.*湖北省机构改革方案.*黄石市机构改革方案/ });
});

t.test('an unknown name suggests today\'s names and where the 2017 ones went', async (t) => {
  t.throws(() => requireDepartment(catalog, '市市场监督局'), {
    code: 'CATALOG_UNKNOWN_PROVIDER',
    message: /close matches: 黄石市市场监督管理局 \(市场监管局\)/,
  });
  t.throws(() => requireDepartment(catalog, '市质检局'), { message: /市质监局 → 黄石市市场监督管理局/ });
  t.throws(() => requireDepartment(catalog, '市安全监督局'), { message: /黄石市应急管理局 \(市应急局; 2017: 市安监局\)/ });
});

t.test('a gateway feeds its provider list, or the department its name says', async (t) => {
  t.same(gatewayDepartment(catalog, { department: '黄石市市场监督管理局' })?.providers.map((p) => p.code), ['P01', 'P02', 'P06', 'P15', 'P35']);
  t.same(gatewayDepartment(catalog, { department: '住建局', provider: ['P17', 'P09'] })?.categories.map((c) => c.provider).filter((p, i, all) => all.indexOf(p) === i), ['P09', 'P17']);
  t.equal(gatewayDepartment(catalog, { department: '随便', provider: 'P07' })?.categories.length, 31, 'one code, as before');
  t.equal(gatewayDepartment(catalog, { department: '随便', provider: 'P15' })?.categories.length, 13, 'a code means the whole 2017 provider');
  t.equal(gatewayDepartment(catalog, { department: '市人社局' })?.categories.length, 31, 'a 2017 name, as before');
  t.equal(gatewayDepartment(catalog, { department: '测试部门' }), null);
  t.equal(gatewayDepartment(catalog, { department: '测试部门', provider: ['P99'] }), null);
});

/** A hand edit of the shipped file, and what loading it says. */
const BAD_EDITS: [string, (f: DepartmentsFile) => void, RegExp][] = [
  ['a misspelt member', (f) => { (f.departments[0] as unknown as Record<string, unknown>).assumd = true; }, /departments\[0\]: unknown member "assumd"/],
  ['a missing assumed flag', (f) => { delete (f.departments[1] as unknown as Record<string, unknown>).assumed; }, /departments\[1\] \(国家税务总局黄石市税务局\)\.assumed: expected true or false/],
  ['an unknown change', (f) => { (f.departments[3] as unknown as Record<string, unknown>).change = 'moved'; }, /departments\[3\] \(黄石市生态环境局\)\.change: expected one of renamed, merged, split, new, unchanged/],
  ['an unknown provider', (f) => { f.departments[3]!.absorbed[0]!.provider = 'P99'; }, /departments\[3\] \(黄石市生态环境局\)\.absorbed\[0\]\.provider: no provider P99 in the catalog/],
  ['another provider\'s category', (f) => { f.departments[0]!.absorbed[4]!.categories = ['P07-002']; }, /absorbed\[4\]\.categories: P07-002 is not a category of P15 市科学技术局/],
  ['a category under two departments', (f) => { f.departments[3]!.absorbed.push({ provider: 'P01' }); }, /category P01-001 \(市工商局 登记\/注册\/备案信息\) is under both 黄石市市场监督管理局 and 黄石市生态环境局/],
  ['a category under none', (f) => { f.departments = f.departments.filter((d) => d.name !== '黄石市林业局'); }, /8 catalog categories belong to no department, e.g. P45-001 \(市林业局 行政许可\/行政确认信息\)/],
  ['a short form of two departments', (f) => { f.departments[3]!.shortForms.push('市场监管局'); }, /"市场监管局" already names 黄石市市场监督管理局/],
  ['a 2017 name for a wider department', (f) => { f.departments.find((d) => d.name === '黄石市发展和改革委员会')!.shortForms.push('市发改委'); }, /"市发改委" is the 2017 name of P32 市发改委, which this department is not exactly/],
  ['an unknown document', (f) => { f.departments[2]!.sources = ['central-2019']; }, /departments\[2\] \(黄石海关\)\.sources: "central-2019" is not a key of sources/],
  ['no document', (f) => { f.departments[2]!.sources = []; }, /departments\[2\] \(黄石海关\)\.sources: expected a list of document keys/],
  ['a new department that feeds a provider', (f) => { f.departments.find((d) => d.change === 'new')!.absorbed.push({ provider: 'P07' }); }, /黄石市医疗保障局\): a department feeds no 2017 provider exactly when its change is "new"/],
  ['not the file\'s shape', (f) => { (f as unknown as Record<string, unknown>).departments = {}; }, /expected an object with sources and departments/],
];

t.test('a bad hand edit of departments-2019.json is refused at load, naming the entry and member', async (t) => {
  t.ok(createCatalog(catalogFile, departmentsFile()).departments.length > 60, 'the shipped file loads');
  for (const [what, edit, message] of BAD_EDITS) {
    const file = departmentsFile();
    edit(file);
    t.throws(() => createCatalog(catalogFile, file), { code: 'CATALOG_DEPARTMENTS_INVALID', message }, what);
  }
});

t.test('a departments file that is not JSON is refused with its path', async (t) => {
  const dir = t.testdir({});
  const broken = join(dir, 'departments-2019.json');
  writeFileSync(broken, '{ "sources": ');
  t.throws(() => loadCatalog(seedsPath('catalog.json'), broken), { code: 'CATALOG_DEPARTMENTS_INVALID', message: new RegExp(`cannot read the department names at ${broken}`) });
});
