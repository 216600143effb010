import t from 'tap';
import type { RecordData } from '../../../gateway/model.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { applyRules } from '../../../gateway/validation/rules.js';

const standards = loadStandards();
const xzcf = standards.byInfoType('行政处罚');
const xzxk = standards.byInfoType('行政许可');
const hmd = standards.byInfoType('黑名单');
const today = '2026-11-26';

const penalty: RecordData = {
  CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '91420200846J0URW7B', CF_FRDB: '孙丽',
  CF_CFLB: '罚款', CF_NR_FK: 2.1, CF_JDRQ: '2026-09-23', CF_YXQ: '2027-09-23', CF_GSJZQ: '2027-09-23',
};

const codes = (data: RecordData, standard = xzcf) => applyRules(standard, data, { today }).errors.map((f) => [f.field, f.code]);

t.test('a penalty that keeps every rule passes', async (t) => {
  t.same(applyRules(xzcf, penalty, { today }).errors, []);
});

t.test('an organisation needs at least one of its codes', async (t) => {
  const { errors } = applyRules(xzcf, { ...penalty, CF_XDR_SHXYM: null }, { today });
  t.same(errors.map((f) => [f.field, f.code]), [['CF_XDR_SHXYM', 'ANY_OF_MISSING']]);
  t.match(errors[0]!.message, /^法人及非法人组织、个体工商户至少要有一个主体代码.*：CF_XDR_SHXYM（行政相对人代码_1（统一社会信用代码））、CF_XDR_GSZC/);
  t.same(codes({ ...penalty, CF_XDR_SHXYM: null, CF_XDR_ZZJG: 'D2143569X' }), [], 'any one of them will do');
  t.same(codes({ ...penalty, CF_XDR_LB: '自然人', CF_XDR_SHXYM: null, CF_FRDB: null, CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: '11010519491231002X' }), [],
    'a natural person needs none');
});

t.test('conditional requirements follow the value of another field', async (t) => {
  t.same(codes({ ...penalty, CF_XDR_LB: '自然人', CF_FRDB: null }), [['CF_XDR_ZJLX', 'FIELD_REQUIRED_WHEN'], ['CF_XDR_ZJHM', 'FIELD_REQUIRED_WHEN']]);
  t.same(codes({ ...penalty, CF_FRDB: null }), [['CF_FRDB', 'FIELD_REQUIRED_WHEN']]);
  const fine = applyRules(xzcf, { ...penalty, CF_NR_FK: null }, { today }).errors;
  t.same(fine, [{ field: 'CF_NR_FK', code: 'FIELD_REQUIRED_WHEN', message: '处罚类别含罚款时必须填写罚款金额（万元）：CF_NR_FK（罚款金额（万元）） 为空' }]);
  t.same(codes({ ...penalty, CF_CFLB: '警告;没收违法所得', CF_NR_FK: null }), [['CF_NR_WFFF', 'FIELD_REQUIRED_WHEN']], 'any one of several categories triggers it');
  t.same(codes({ ...penalty, CF_CFLB: '警告', CF_NR_FK: null }), []);
  t.same(codes({ HMD_ZTMC: 'x' }, hmd).filter(([, c]) => c === 'FIELD_REQUIRED_WHEN'), [], 'no kind, no condition');
  t.same(codes({ HMD_ZTLB: '自然人', HMD_ZJLX: '身份证', HMD_ZJHM: '1', HMD_YCRQ: '2026-10-01' }, hmd), [['HMD_YCYY', 'FIELD_REQUIRED_WHEN']], 'a filled field as the condition');
});

t.test('有效期自 may not be after 有效期至, and 2099-12-31 (长期) is after every date', async (t) => {
  const licence = { XK_XDR_LB: '自然人', XK_XDR_ZJLX: '身份证', XK_XDR_ZJHM: '1', XK_JDRQ: '2026-09-01', XK_YXQZ: '2026-09-01' };
  t.same(codes({ ...licence, XK_YXQZI: '2099-12-31' }, xzxk), []);
  t.same(codes({ ...licence, XK_YXQZI: '2026-09-01' }, xzxk), [], 'a one-day licence');
  const { errors } = applyRules(xzxk, { ...licence, XK_YXQZ: '2026-09-02', XK_YXQZI: '2026-08-31' }, { today });
  t.same(errors, [
    { field: 'XK_YXQZ', code: 'DATE_ORDER', message: '有效期自不能晚于有效期至（2099-12-31 表示长期）：XK_YXQZ（有效期自） 为 2026-09-02，XK_YXQZI（有效期至） 为 2026-08-31' },
    { field: 'XK_JDRQ', code: 'DATE_ORDER', message: '许可决定日期不能晚于有效期至：XK_JDRQ（许可决定日期） 为 2026-09-01，XK_YXQZI（有效期至） 为 2026-08-31' },
  ]);
  t.same(codes({ ...licence, XK_YXQZI: null }, xzxk), [], 'a missing date is the required check\'s business, not the order\'s');
});

t.test('a decision dated after the day the record was read is refused', async (t) => {
  t.same(applyRules(xzcf, { ...penalty, CF_JDRQ: '2026-11-27', CF_YXQ: '2099-12-31', CF_GSJZQ: null }, { today }).errors, [
    { field: 'CF_JDRQ', code: 'DATE_IN_FUTURE', message: '处罚决定日期不能晚于报送当天：CF_JDRQ（处罚决定日期） 为 2026-11-27，晚于读取当天 2026-11-26' },
  ]);
  t.same(codes({ ...penalty, CF_JDRQ: today }), [], 'decided today is fine');
  t.same(applyRules(xzcf, { ...penalty, CF_JDRQ: '2026-11-27' }).errors.filter((f) => f.code === 'DATE_IN_FUTURE'), [], 'no day given, no judgement');
});

t.test('amounts in 万元: negative is refused, implausibly large travels with a warning', async (t) => {
  t.same(codes({ ...penalty, CF_NR_FK: -1 }), [['CF_NR_FK', 'AMOUNT_NEGATIVE']]);
  const large = applyRules(xzcf, { ...penalty, CF_NR_FK: 20000 }, { today });
  t.same(large.errors, []);
  t.same(large.warnings.map((w) => [w.field, w.code]), [['CF_NR_FK', 'AMOUNT_SUSPICIOUS']]);
  t.match(large.warnings[0]!.message, /^CF_NR_FK（罚款金额（万元）） 为 20000 万元，数额异常大，请确认单位是万元/);
  t.same(applyRules(xzcf, { ...penalty, CF_NR_FK: 1000 }, { today }).warnings, [], 'the threshold itself is plausible');
});

t.test('an end of publication that has passed makes the status 公示期满; before or on it, 公示中', async (t) => {
  t.equal(applyRules(xzcf, { ...penalty, CF_GSJZQ: '2026-11-25' }, { today }).data.CF_GSZT, '公示期满');
  t.equal(applyRules(xzcf, { ...penalty, CF_GSJZQ: today }, { today }).data.CF_GSZT, '公示中', 'the last day is still published');
  t.equal(applyRules(xzcf, { ...penalty, CF_GSJZQ: null }, { today }).data.CF_GSZT, '公示中', 'no end date, no end');
  t.equal(applyRules(xzcf, { ...penalty, CF_GSJZQ: '2026-11-25', CF_GSZT: '公示中' }, { today }).data.CF_GSZT, '公示中', 'the department\'s own status stands');
  const { CF_GSJZQ: _unmapped, ...withoutDate } = penalty;
  t.notOk('CF_GSZT' in applyRules(xzcf, withoutDate, { today }).data, 'a job that does not map the end date gets no status');
  t.notOk('CF_GSZT' in applyRules(xzcf, penalty).data, 'nor does a check without a day');
});

t.test('the data given is left as it was: the derived status goes into a copy', async (t) => {
  const given = { ...penalty };
  const { data } = applyRules(xzcf, given, { today });
  t.equal(data.CF_GSZT, '公示中');
  t.same(given, penalty);
});
