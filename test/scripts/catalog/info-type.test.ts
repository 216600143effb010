import t from 'tap';
import { INFO_TYPES } from '../../../gateway/catalog/types.js';
import { INFO_TYPE_RULES, infoTypeOf } from '../../../scripts/catalog/info-type.js';

t.test('every information type but 通用 has exactly one rule; 通用 is the fallback', async (t) => {
  t.same(INFO_TYPE_RULES.map((r) => r.infoType).sort(), INFO_TYPES.filter((x) => x !== '通用').sort());
  t.equal(infoTypeOf('董事会信息（变更）'), '通用');
  t.equal(infoTypeOf('其他类信息'), '通用');
});

t.test('the common rows of the notice', async (t) => {
  const expected: Record<string, string> = {
    '行政许可/行政确认信息': '行政许可',
    '行政处罚信息': '行政处罚',
    '行政强制信息': '行政强制',
    '主体标识信息': '主体标识',
    '企业主体标识信息': '主体标识',
    '个人身份标识信息': '个人身份标识',
    '登记/注册/备案信息': '登记注册备案',
    '登记、注册、备案信息': '登记注册备案',
    '资质信息': '资质',
    '职业（从业）资格信息（律师）': '职业资格',
    '荣誉信息': '表彰荣誉',
    '表彰信息': '表彰荣誉',
    '黑榜信息': '黑名单',
    '失信被执行人相关信息': '失信被执行人',
    '分类监管信息': '分类监管',
    '纳税信用等级评定信息': '纳税信用',
    '电信欠费信息': '欠费违约',
    '未履行法定义务、违约的信息': '欠费违约',
  };
  for (const [name, infoType] of Object.entries(expected)) t.equal(infoTypeOf(name), infoType, name);
});

t.test('order decides names that match two rules', async (t) => {
  t.equal(infoTypeOf('行政许可、处罚信息'), '行政处罚', 'a penalty before a licence');
  t.equal(infoTypeOf('企业养老参保欠缴信息'), '欠费违约', 'arrears are not a generic row');
  t.equal(infoTypeOf('职业（执业）资格注册信息'), '职业资格', 'a qualification before a registration');
  t.equal(infoTypeOf('执业药师注册信息'), '职业资格');
  t.equal(infoTypeOf('危险废物经营许可证、废弃电器电子产品处理资质证审批（变更）信息'), '行政许可', 'an approval before a qualification');
  t.equal(infoTypeOf('危险废物经营许可证注销（撤、吊）信息'), '行政许可', 'a licence before its cancellation');
  t.equal(infoTypeOf('纳税人被公告的欠税信息'), '欠费违约');
  t.equal(infoTypeOf('法院执行案件信息'), '失信被执行人');
  t.equal(infoTypeOf('个人处罚信息（个人信用相关项）'), '行政处罚');
});

t.test('registration includes its end, however the notice writes it', async (t) => {
  t.equal(infoTypeOf('注销登记信息'), '登记注册备案');
  t.equal(infoTypeOf('吊销营业执照信息'), '登记注册备案');
  t.equal(infoTypeOf('机构注（撤）销信息'), '登记注册备案');
});

t.test('periodic inspections are supervision', async (t) => {
  t.equal(infoTypeOf('专项或周期性检验、检测、检疫（含年报年审）结果信息'), '分类监管');
  t.equal(infoTypeOf('专项或周期性检验,检测,检疫（含年报年审）结果信息'), '分类监管');
  t.equal(infoTypeOf('民办非企业单位年检（审）信息'), '分类监管');
});
