import t from 'tap';
import { loadStandards } from '../../../gateway/standards/index.js';
import { normaliseFieldCodes } from '../../../gateway/validation/field-codes.js';

const xzcf = loadStandards().byInfoType('行政处罚');

t.test('current codes stay as they are', async (t) => {
  t.same(normaliseFieldCodes({ CF_WSH: 'decision_no', CF_JDRQ: 'punish_date' }, xzcf), {
    values: { CF_WSH: 'decision_no', CF_JDRQ: 'punish_date' }, renamed: {}, errors: [], warnings: [],
  });
});

t.test('an older template\'s codes are read as the current ones, and the rename is told', async (t) => {
  const result = normaliseFieldCodes({ CF_XDR_ZDM: 'org_code', CF_CFLB1: 'kind', CF_CFMC: 'title', CF_JG: 'result' }, xzcf);
  t.same(result.values, { CF_XDR_ZZJG: 'org_code', CF_CFLB: 'kind', CF_WFXW: 'title', CF_NR: 'result' });
  t.same(result.renamed, { CF_XDR_ZZJG: 'CF_XDR_ZDM', CF_CFLB: 'CF_CFLB1', CF_WFXW: 'CF_CFMC', CF_NR: 'CF_JG' });
  t.same(result.errors, []);
});

t.test('a field the new template dropped is left out, with a warning saying what to do instead', async (t) => {
  const result = normaliseFieldCodes({ CF_WSH: 'decision_no', CF_CFLB2: 'kind2', DFBM: 'area' }, xzcf);
  t.same(result.values, { CF_WSH: 'decision_no' });
  t.same(result.warnings.map((w) => [w.field, w.code]), [['CF_CFLB2', 'FIELD_RETIRED'], ['DFBM', 'FIELD_RETIRED']]);
  t.match(result.warnings[0]!.message, /^字段 CF_CFLB2（处罚类别2）是旧版模板的字段，已不再发送：.*concat/);
});

t.test('a code the standard does not know is an error naming the standard', async (t) => {
  t.same(normaliseFieldCodes({ CF_WHS: 'decision_no' }, xzcf).errors, [
    { field: 'CF_WHS', code: 'FIELD_UNKNOWN', message: '字段 CF_WHS 不在数据标准“行政处罚信息”中' },
  ]);
});

t.test('the old and the new code of one field together are an error, not a silent choice', async (t) => {
  const result = normaliseFieldCodes({ CF_XDR_ZZJG: 'a', CF_XDR_ZDM: 'b' }, xzcf);
  t.same(result.values, { CF_XDR_ZZJG: 'a' });
  t.same(result.errors, [{
    field: 'CF_XDR_ZZJG', code: 'FIELD_DUPLICATE',
    message: '字段 CF_XDR_ZZJG 和 CF_XDR_ZDM 是同一个字段（行政相对人代码_3（组织机构代码）），只能填写一个',
  }]);
});

t.test('Chinese headers of a file resolve the same way', async (t) => {
  const result = normaliseFieldCodes({ 行政处罚决定书文号: 'x', '罚款金额(万元)': 1, 处罚名称: 'y' }, xzcf);
  t.same(result.values, { CF_WSH: 'x', CF_NR_FK: 1, CF_WFXW: 'y' });
});
