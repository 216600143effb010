import t from 'tap';
import type { JobMapping } from '../../../gateway/mapping/types.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { mapAndValidate } from '../../../gateway/validation/map-and-validate.js';
import { ctx, penaltyJob, penaltyRow, type Cells } from './fixtures.js';

const standards = loadStandards();
const standard = standards.byInfoType('行政处罚');

function accepted(row: Cells, job: JobMapping = penaltyJob) {
  const result = mapAndValidate(job, row, ctx, { standard });
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.rejection.findings)}`);
  return result.record;
}

function rejected(row: Cells, job: JobMapping = penaltyJob) {
  const result = mapAndValidate(job, row, ctx, { standard });
  if (result.ok) throw new Error('expected a rejection');
  return result.rejection;
}

t.test('a row meeting the standard is sent as the standard writes it', async (t) => {
  const record = accepted(penaltyRow);
  t.same(record.data, {
    CF_XDR_MC: '黄石港湾人力资源服务股份有限公司', CF_XDR_LB: '法人及非法人组织', CF_XDR_SHXYM: '91420200846J0URW7B', CF_FRDB: '孙丽',
    CF_WSH: '黄人社监罚〔2026〕1号', CF_WFXW: '拖欠农民工工资', CF_SY: '经查，该单位存在拖欠农民工工资的行为。',
    CF_YJ: '《保障农民工工资支付条例》第五十四条', CF_CFLB: '罚款', CF_NR: '罚款人民币2.1万元',
    CF_NR_FK: 2.1, CF_JDRQ: '2026-09-23', CF_YXQ: '2027-09-23', CF_GSJZQ: '2027-09-23',
    CF_CFJG: '黄石市人力资源和社会保障局', CF_CFJGDM: '11420200011079463Y', CF_SJLY: '黄石市人力资源和社会保障局', CF_SJLYDM: '11420200011079463Y',
    CF_GSZT: '公示中',
  });
  t.equal(record.warnings, undefined);
  t.equal(record.fingerprint, fingerprint({ op: 'upsert', subject: record.subject, data: record.data }), 'the fingerprint is of what is sent');
});

t.test('a rejected row keeps its key and record id, and every finding names its field with a stable code and a Chinese message', async (t) => {
  const rejection = rejected({ ...penaltyRow, authority_code: '11420200011079463X', valid_until: null });
  t.equal(rejection.key, '1');
  t.equal(rejection.recordId, recordId('hs-rsj', 'P07-002', '1'));
  t.same(rejection.findings, [
    { field: 'CF_YXQ', code: 'FIELD_REQUIRED', message: '必填字段 CF_YXQ（处罚有效期） 为空' },
    { field: 'CF_CFJGDM', code: 'CREDIT_CODE_CHECK', message: '统一社会信用代码校验位错误：应为 Y' },
    { field: 'CF_SJLYDM', code: 'CREDIT_CODE_CHECK', message: '统一社会信用代码校验位错误：应为 Y' },
  ]);
});

t.test('a field the job does not map at all is missing all the same', async (t) => {
  const { CF_YXQ: _omitted, ...fields } = penaltyJob.fields;
  t.same(rejected(penaltyRow, { ...penaltyJob, fields }).findings.map((f) => [f.field, f.code]), [['CF_YXQ', 'FIELD_REQUIRED']]);
});

t.test('a wrong subject code is reported once, under subject.code, not again for the field repeating it', async (t) => {
  t.same(rejected({ ...penaltyRow, credit_code: '91420200846J0URW7C' }).findings.map((f) => [f.field, f.code]), [['subject.code', 'CREDIT_CODE_CHECK']]);
});

t.test('a missing subject name is reported once, under subject.name', async (t) => {
  t.same(rejected({ ...penaltyRow, party_name: ' ' }).findings.map((f) => [f.field, f.code]), [['subject.name', 'SUBJECT_NAME_MISSING']]);
});

t.test('the repeated subject code is sent in the form the subject check settled', async (t) => {
  const record = accepted({ ...penaltyRow, credit_code: ' ９１４２０２００８４６ｊ０ｕｒｗ７ｂ ' });
  t.equal(record.subject?.code, '91420200846J0URW7B');
  t.equal(record.data?.CF_XDR_SHXYM, '91420200846J0URW7B');
});

t.test('行政相对人类别 contradicting the subject kind is refused', async (t) => {
  const job: JobMapping = { ...penaltyJob, subject: { ...penaltyJob.subject, kind: 'legal' } };
  t.same(rejected({ ...penaltyRow, party_type: '个体工商户' }, job).findings, [
    { field: 'CF_XDR_LB', code: 'SUBJECT_KIND_MISMATCH', message: 'CF_XDR_LB（行政相对人类别） 为“个体工商户”，与记录的主体类型（法人及非法人组织）不一致' },
  ]);
});

t.test('a job written with the older template\'s codes sends the new ones', async (t) => {
  const { CF_XDR_SHXYM: _a, CF_CFLB: _b, CF_WFXW: _c, CF_CFJG: _d, ...rest } = penaltyJob.fields;
  const old: JobMapping = { ...penaltyJob, fields: { ...rest, CF_XDR_ZDM: 'org_code', CF_CFLB1: 'punish_type', CF_CFMC: 'violation', CF_XZJG: 'authority' } };
  const record = accepted({ ...penaltyRow, org_code: 'D2143569-X' }, old);
  t.match(record.data, { CF_XDR_ZZJG: 'D2143569X', CF_CFLB: '罚款', CF_WFXW: '拖欠农民工工资', CF_CFJG: '黄石市人力资源和社会保障局' });
  for (const code of ['CF_XDR_ZDM', 'CF_CFLB1', 'CF_CFMC', 'CF_XZJG']) t.notOk(code in record.data!, `${code} is not sent`);
});

t.test('an old field with no successor is not sent; the record carries a warning and is not held back', async (t) => {
  const job: JobMapping = { ...penaltyJob, fields: { ...penaltyJob.fields, DFBM: { const: '420200' } } };
  const record = accepted(penaltyRow, job);
  t.notOk('DFBM' in record.data!);
  t.same(record.warnings?.map((w) => [w.field, w.code]), [['DFBM', 'FIELD_RETIRED']]);
});

t.test('a field code the standard does not know refuses every row, so the job is fixed rather than sending less', async (t) => {
  const job: JobMapping = { ...penaltyJob, fields: { ...penaltyJob.fields, CF_WHS: 'decision_no' } };
  t.same(rejected(penaltyRow, job).findings, [{ field: 'CF_WHS', code: 'FIELD_UNKNOWN', message: '字段 CF_WHS 不在数据标准“行政处罚信息”中' }]);
});

t.test('warnings travel with the record: an implausible amount, a 2017-style category, an embedded 组织机构代码', async (t) => {
  const record = accepted({ ...penaltyRow, fine_wan: '21000', punish_type: '罚款;没收违法所得、没收非法财物', confiscated: '1.5', credit_code: '91350100M000100Y56' }, {
    ...penaltyJob, fields: { ...penaltyJob.fields, CF_NR_WFFF: 'confiscated' },
  });
  t.same(record.warnings?.map((w) => [w.field, w.code]), [
    ['subject.code', 'CREDIT_CODE_EMBEDDED_ORG_CODE'],
    ['CF_CFLB', 'CODE_LEGACY'],
    ['CF_NR_FK', 'AMOUNT_SUSPICIOUS'],
  ]);
});

t.test('code tables named in the job resolve from the standard when the caller passes none', async (t) => {
  const job: JobMapping = { ...penaltyJob, fields: { ...penaltyJob.fields, CF_CFLB: { column: 'punish_type', codes: 'cflb' } } };
  t.equal(accepted({ ...penaltyRow, punish_type: '吊销执照', licence: '人力资源服务许可证 001' }, {
    ...job, fields: { ...job.fields, CF_NR_ZKDX: 'licence', CF_NR_FK: { const: null } },
  }).data?.CF_CFLB, '吊销许可证件');
});

t.test('a mapping failure is reported once, not again by the standard', async (t) => {
  t.same(rejected({ ...penaltyRow, punish_date: '昨天' }).findings.map((f) => [f.field, f.code]), [['CF_JDRQ', 'DATE_INVALID']]);
});

t.test('a withdrawn row is a delete; the standard has nothing to say about it', async (t) => {
  const record = accepted({ ...penaltyRow, revoked: 1, valid_until: null });
  t.equal(record.op, 'delete');
  t.equal(record.data, undefined);
});

t.test('without a standard the job works as before: no standard fields demanded, values as mapped', async (t) => {
  const result = mapAndValidate(penaltyJob, { ...penaltyRow, valid_until: null }, ctx);
  t.ok(result.ok);
  if (result.ok) t.equal(result.record.data?.CF_NR_FK, '2.1000');
});
