import { readFileSync } from 'node:fs';
import t from 'tap';
import { seedsPath } from '../../../gateway/paths.js';
import { buildCatalog, categoryCode, providerCode } from '../../../scripts/catalog/build.js';
import { serializeCatalog } from '../../../scripts/catalog/serialize.js';

const notice = readFileSync(seedsPath('huangshi-credit-notice-2017.txt'), 'utf8');
const catalog = buildCatalog(notice);
const category = (code: string) => catalog.categories.find((c) => c.code === code);
const provider = (code: string) => catalog.providers.find((p) => p.code === code);

t.test('seeds/catalog.json is exactly what a fresh build of the notice gives', async (t) => {
  const shipped = readFileSync(seedsPath('catalog.json'), 'utf8');
  t.equal(shipped, serializeCatalog(catalog), 'regenerate with: npm run build && npm run catalog:build');
  t.same(JSON.parse(shipped), catalog, 'and it is plain JSON of the catalog');
});

t.test('codes: providers by document order, categories by row position', async (t) => {
  t.equal(providerCode(7), 'P07');
  t.equal(categoryCode('P07', 2), 'P07-002');
  t.same(catalog.providers.map((p) => p.code), Array.from({ length: 69 }, (_, i) => providerCode(i + 1)));
  t.same([provider('P01')!.name, provider('P07')!.name, provider('P69')!.name], ['市工商局', '市人社局', '市机关事务管理局']);
});

t.test('P07-002 is 市人社局 行政处罚信息, as in the platform spec worked example', async (t) => {
  t.match(category('P07-002'), {
    provider: 'P07', providerName: '市人社局', name: '行政处罚信息', frequency: '实时', infoType: '行政处罚', row: 307,
  });
});

t.test('a category carries provider, name, frequency, subject kind, info type and its line', async (t) => {
  t.same(category('P01-001'), {
    code: 'P01-001', provider: 'P01', providerName: '市工商局', name: '登记/注册/备案信息', frequency: '实时',
    subjectKind: 'both', infoType: '登记注册备案', row: 166,
  });
  t.match(category('P01-022'), { name: '个人身份标识信息', subjectKind: 'natural', infoType: '个人身份标识' });
  t.match(category('P01-025'), { name: '个人处罚信息', subjectKind: 'natural', row: 190 });
  t.match(category('P09-001'), { providerName: '市城乡建设委员会', name: '资质信息', row: 358 });
});

t.test('true duplicates are dropped and their codes left unused', async (t) => {
  t.same(catalog.duplicates.map((d) => [d.code, d.name, d.duplicateOf, d.row]), [
    ['P01-012', '主体标识信息', 'P01-005', 177],
    ['P01-014', '注销登记信息', 'P01-008', 179],
    ['P01-015', '吊销营业执照信息', 'P01-009', 180],
    ['P02-019', '主体标识信息', 'P02-006', 211],
    ['P02-020', '制造计量器具行政许可审批（变更）信息', 'P02-009', 212],
    ['P06-029', '食品药品监督管理局行政处罚记录', 'P06-008', 298],
    ['P08-013', '主体标识信息', 'P08-006', 350],
    ['P15-009', '主体标识信息', 'P15-005', 455],
    ['P15-011', '专利侵权纠纷信息', 'P15-010', 457],
    ['P36-013', '纳税信息', 'P36-012', 549],
    ['P42-006', '行政许可/行政确认信息', 'P42-001', 570],
    ['P46-011', '纳税申报信息', 'P46-010', 594],
  ]);
  t.equal(category('P15-011'), undefined);
  t.match(category('P15-012'), { name: '行政处罚信息', row: 458 });
  t.match(catalog.duplicates[8]!.reason, /repeats P15-010 within the legal-person section of 市科学技术局/);
});

t.test('a name repeated for legal and natural persons keeps a code each', async (t) => {
  t.match(category('P36-007'), { name: '纳税信用等级评定信息', subjectKind: 'legal' });
  t.match(category('P36-016'), { name: '纳税信用等级评定信息', subjectKind: 'natural' });
  t.match(category('P46-009'), { name: '纳税信用等级评定信息', subjectKind: 'legal' });
  t.match(category('P46-016'), { name: '纳税信用等级评定信息', subjectKind: 'natural' });
});

t.test('a generic row and a legal-person row of the same name keep a code each', async (t) => {
  t.match(category('P15-001'), { name: '行政处罚信息', subjectKind: 'both' });
  t.match(category('P15-012'), { name: '行政处罚信息', subjectKind: 'legal' });
});

t.test('the second block of 市工商局 legal-person rows keeps only its new names', async (t) => {
  t.same(['P01-012', 'P01-013', 'P01-014', 'P01-015', 'P01-016'].map((c) => category(c)?.name),
    [undefined, '企业设立（变更）登记信息', undefined, undefined, '董事会信息（变更）']);
});

t.test('providers carry aliases and their 附件2 count', async (t) => {
  t.match(provider('P09'), { name: '市城乡建设委员会', aliases: ['市建委'], annex2Count: 18, categories: 17 });
  t.match(provider('P05'), { name: '黄石市中级人民法院', annex2Count: 7 });
  t.match(provider('P06'), { aliases: ['市食药监局'], annex2Count: 35, categories: 34 });
  t.match(provider('P14'), { name: '市住房公积金管理中心', annex2Count: 3 });
  t.match(provider('P55'), { name: '市红十字会', annex2Count: 1 });
  t.match(provider('P56'), { name: '市广电台', annex2Count: null });
  t.match(provider('P69'), { aliases: ['市机关事务管理局（行管局）', '市行管局'], annex2Count: 1 });
});

t.test('each provider count matches its categories', async (t) => {
  for (const p of catalog.providers) {
    t.equal(p.categories, catalog.categories.filter((c) => c.provider === p.code).length, p.code);
  }
});
