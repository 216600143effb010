import t from 'tap';
import { loadStandards, type StandardField } from '../../../gateway/standards/index.js';
import { checkField, fieldLabel } from '../../../gateway/validation/field-check.js';

const standards = loadStandards();
const xzcf = standards.byInfoType('行政处罚');
const field = (code: string): StandardField => xzcf.fields.find((f) => f.code === code)!;
const tableOf = (code: string) => ({ table: xzcf.codeTables[field(code).codeTable!]! });

t.test('a field is named by its code and its Chinese name', async (t) => {
  t.equal(fieldLabel(field('CF_YXQ')), 'CF_YXQ（处罚有效期）');
});

t.test('blank is empty, whatever the type; whether it may be empty is the standard\'s rule, not the field\'s', async (t) => {
  for (const value of [null, '', '  ']) t.same(checkField(field('CF_JDRQ'), value), { value: null, errors: [], warnings: [] });
});

t.test('text longer than the standard allows is refused, counted in characters', async (t) => {
  t.same(checkField(field('CF_WSH'), '黄'.repeat(64)).errors, []);
  t.same(checkField(field('CF_WSH'), '黄'.repeat(65)).errors, [
    { field: 'CF_WSH', code: 'FIELD_TOO_LONG', message: 'CF_WSH（行政处罚决定书文号） 最长 64 个字，实际 65 个字' },
  ]);
});

t.test('credit codes are checked and sent half-width upper-case; a bad one names the character it should have', async (t) => {
  t.same(checkField(field('CF_CFJGDM'), '１１４２０２００011079463y'), { value: '11420200011079463Y', errors: [], warnings: [] });
  t.same(checkField(field('CF_CFJGDM'), '11420200011079463X').errors, [
    { field: 'CF_CFJGDM', code: 'CREDIT_CODE_CHECK', message: '统一社会信用代码校验位错误：应为 Y' },
  ]);
  t.same(checkField(field('CF_CFJGDM'), '91350100M000100Y56').warnings.map((w) => [w.field, w.code]), [['CF_CFJGDM', 'CREDIT_CODE_EMBEDDED_ORG_CODE']],
    'an embedded 组织机构代码 that fails is a warning, not a refusal');
});

t.test('the 个体工商户 placeholder code is accepted only when the record is about one', async (t) => {
  const code = field('CF_XDR_SHXYM');
  t.same(checkField(code, '00000000000000000X', { subjectKind: 'individual_business' }).errors, []);
  t.equal(checkField(code, '00000000000000000X', { subjectKind: 'legal' }).errors[0]!.code, 'CREDIT_CODE_PLACEHOLDER_INDIVIDUAL_ONLY');
});

t.test('organisation codes are checked and sent as nine characters, as the template sizes them', async (t) => {
  t.same(checkField(field('CF_XDR_ZZJG'), 'd2143569-x'), { value: 'D2143569X', errors: [], warnings: [] });
  t.equal(checkField(field('CF_XDR_ZZJG'), 'D21435691').errors[0]!.code, 'ORG_CODE_CHECK');
});

t.test('dates are sent as YYYY-MM-DD; what is not a date is refused with the raw value', async (t) => {
  t.same(checkField(field('CF_JDRQ'), '2026-1-5 08:00:00').value, '2026-01-05');
  t.same(checkField(field('CF_JDRQ'), '2026/01/05').errors, [
    { field: 'CF_JDRQ', code: 'DATE_INVALID', message: '字段 CF_JDRQ（处罚决定日期） 的日期无法识别：2026/01/05' },
  ]);
});

t.test('长期 is 2099-12-31 where the standard allows it; later "no end" dates are sent that way, with a note', async (t) => {
  t.same(checkField(field('CF_YXQ'), '2099-12-31'), { value: '2099-12-31', errors: [], warnings: [] });
  t.same(checkField(field('CF_YXQ'), '长期'), { value: '2099-12-31', errors: [], warnings: [] });
  t.same(checkField(field('CF_YXQ'), '9999-12-31'), {
    value: '2099-12-31', errors: [],
    warnings: [{ field: 'CF_YXQ', code: 'DATE_LONG_TERM', message: 'CF_YXQ（处罚有效期） 的“9999-12-31”按长期处理，以 2099-12-31 发送' }],
  });
  t.same(checkField(field('CF_JDRQ'), '9999-12-31').value, '9999-12-31', 'a decision date is not long-term: the rules refuse it as in the future');
});

t.test('amounts are numbers; 万元 have at most six decimals', async (t) => {
  t.same(checkField(field('CF_NR_FK'), '2.1000').value, 2.1);
  t.same(checkField(field('CF_NR_FK'), 0.35).value, 0.35);
  t.same(checkField(field('CF_NR_FK'), '１,２００.５').value, 1200.5, 'full-width digits and thousands separators');
  t.same(checkField(field('CF_NR_FK'), '0.123456000').value, 0.123456, 'trailing zeros are no decimals');
  t.same(checkField(field('CF_NR_FK'), '12.').errors[0]?.code, 'FIELD_NOT_DECIMAL');
  t.same(checkField(field('CF_NR_FK'), '0.1234567').errors, [
    { field: 'CF_NR_FK', code: 'FIELD_SCALE', message: 'CF_NR_FK（罚款金额（万元）） 最多 6 位小数，实际为 0.1234567' },
  ]);
  t.same(checkField(field('CF_NR_FK'), '2万元').errors, [
    { field: 'CF_NR_FK', code: 'FIELD_NOT_DECIMAL', message: 'CF_NR_FK（罚款金额（万元）） 应为数字，实际为“2万元”' },
  ]);
});

t.test('integers refuse fractions', async (t) => {
  const year = standards.byInfoType('纳税信用').fields.find((f) => f.code === 'NS_PJND')!;
  t.same(checkField(year, '2025').value, 2025);
  t.same(checkField(year, '2025.0').value, 2025);
  t.equal(checkField(year, '2025.5').errors[0]!.code, 'FIELD_NOT_INTEGER');
});

t.test('codes are sent as the table\'s value; other spellings are accepted', async (t) => {
  t.same(checkField(field('CF_XDR_LB'), '法人和其他组织', tableOf('CF_XDR_LB')).value, '法人及非法人组织');
  t.same(checkField(field('CF_CFLB'), '罚款', tableOf('CF_CFLB')).value, '罚款');
  t.same(checkField(field('CF_CFLB'), '吊销营业执照', tableOf('CF_CFLB')).value, '吊销许可证件');
  t.same(checkField(field('CF_CFLB'), '其他-责令改正', tableOf('CF_CFLB')).value, '其他-责令改正', '其他 with its kind');
});

t.test('a multi-valued code field takes several values separated by semicolons of either width', async (t) => {
  t.same(checkField(field('CF_CFLB'), '警告；罚款;罚款', tableOf('CF_CFLB')), { value: '警告;罚款', errors: [], warnings: [] });
  t.same(checkField(field('CF_CFLB'), ' 吊销营业执照 ', tableOf('CF_CFLB')), { value: '吊销许可证件', errors: [], warnings: [] }, 'one value alone');
  t.same(checkField(field('CF_CFLB'), '吊销营业执照；', tableOf('CF_CFLB')), checkField(field('CF_CFLB'), '吊销营业执照', tableOf('CF_CFLB')), 'and one before a separator');
  t.same(checkField(field('CF_CFLB'), '罚金；', tableOf('CF_CFLB')).errors, checkField(field('CF_CFLB'), '罚金', tableOf('CF_CFLB')).errors, 'refused alike');
});

t.test('a value not in the table is refused with the values it allows', async (t) => {
  t.same(checkField(field('CF_XDR_LB'), '企业', tableOf('CF_XDR_LB')).errors, [{
    field: 'CF_XDR_LB', code: 'CODE_NOT_IN_TABLE',
    message: 'CF_XDR_LB（行政相对人类别） 的值“企业”不在代码表“行政相对人类别”中，应为：法人及非法人组织、自然人、个体工商户',
  }]);
  t.match(checkField(field('CF_CFLB'), '警告；罚金', tableOf('CF_CFLB')).errors, [{ code: 'CODE_NOT_IN_TABLE', message: /“罚金”.*警告、通报批评、罚款.*其他…（注明具体类别）$/ }]);
});

t.test('a category written as the 2017 行政处罚法 wrote it is sent as written, with a warning saying how to write it now', async (t) => {
  const checked = checkField(field('CF_CFLB'), '没收违法所得、没收非法财物', tableOf('CF_CFLB'));
  t.equal(checked.value, '没收违法所得、没收非法财物');
  t.same(checked.errors, []);
  t.match(checked.warnings, [{ field: 'CF_CFLB', code: 'CODE_LEGACY', message: /2021 年修订后分为“没收违法所得”和“没收非法财物”/ }]);
});
