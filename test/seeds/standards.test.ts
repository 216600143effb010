import t from 'tap';
import { loadCatalog } from '../../gateway/catalog/index.js';
import { INFO_TYPES } from '../../gateway/catalog/types.js';
import { headerKey, loadStandards, spellingsOf } from '../../gateway/standards/index.js';

const standards = loadStandards();
const catalog = loadCatalog();

t.test('every catalog category has exactly one standard, found by its information type', async (t) => {
  t.equal(catalog.categories.length, 490);
  for (const category of catalog.categories) {
    const matching = standards.list.filter((s) => s.infoType === category.infoType);
    t.equal(matching.length, 1, `${category.code} ${category.name} (${category.infoType})`);
    t.equal(standards.standardFor(category), matching[0]);
  }
});

t.test('every information type the catalog can use has a standard, and no standard serves a type that does not exist', async (t) => {
  t.same([...standards.list.map((s) => s.infoType)].sort(), [...INFO_TYPES].sort());
});

t.test('within a standard, field codes are unique and no code, name or alias names two fields', async (t) => {
  for (const standard of standards.list) {
    const codes = standard.fields.map((f) => f.code);
    t.equal(new Set(codes).size, codes.length, `${standard.code}: unique codes`);
    const owners = new Map<string, string>();
    for (const field of standard.fields) {
      for (const spelling of spellingsOf(field)) {
        const owner = owners.get(headerKey(spelling));
        t.ok(owner === undefined || owner === field.code, `${standard.code}: "${spelling}" names ${field.code}${owner ? ` and ${owner}` : ''}`);
        owners.set(headerKey(spelling), field.code);
      }
    }
    for (const retired of standard.retired ?? []) {
      t.notOk(owners.has(headerKey(retired.code)), `${standard.code}: retired ${retired.code} is not also a current spelling`);
    }
  }
});

t.test('every code table a field references exists, and every code field has one', async (t) => {
  for (const standard of standards.list) {
    for (const field of standard.fields) {
      if (field.codeTable) t.ok(standards.codeTables[field.codeTable], `${standard.code}.${field.code} → ${field.codeTable}`);
      t.equal(field.type === 'code', field.codeTable !== undefined, `${standard.code}.${field.code}: code type ⇔ code table`);
    }
  }
});

t.test('every standard says where it comes from, and says so when no national standard was found', async (t) => {
  for (const standard of standards.list) {
    t.ok(standard.source.length > 20, `${standard.code} has a source`);
    if (!['xzxk', 'xzcf'].includes(standard.code)) t.match(standard.source, '本网关自定', `${standard.code} does not claim national authority`);
  }
  t.match(standards.byCode('xzxk')!.source, '未能取得模板原件', 'the 双公示 standards say what could not be checked');
});

t.test('the 双公示 standards run from the 2019 template\'s first field to its last', async (t) => {
  const xk = standards.byInfoType('行政许可').fields.map((f) => f.code);
  t.equal(xk[0], 'XK_XDR_MC');
  t.equal(xk[xk.indexOf('XK_LYDWDM') + 1], 'BZ');
  const cf = standards.byInfoType('行政处罚').fields.map((f) => f.code);
  t.equal(cf[0], 'CF_XDR_MC');
  t.equal(cf[cf.indexOf('CF_SJLYDM') + 1], 'BZ');
  t.ok(cf.includes('CF_GSZT'), 'plus the status an expired penalty changes');
});

t.test('every standard names its subject: a name, a kind or a code a file reader can build it from', async (t) => {
  for (const standard of standards.list) {
    const roles = standard.fields.map((f) => f.subject).filter(Boolean);
    t.ok(roles.includes('name'), `${standard.code} has the subject's name`);
    t.ok(roles.includes('legalCode') || roles.includes('naturalCode'), `${standard.code} has the subject's code`);
  }
});
