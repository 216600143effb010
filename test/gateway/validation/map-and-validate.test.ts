import t from 'tap';
import type { JobMapping } from '../../../gateway/mapping/types.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { mapAndValidate } from '../../../gateway/validation/map-and-validate.js';

const ctx = { gatewayId: 'hs-rsj', observedAt: '2026-11-26T08:00:00.000Z' };

const penalties: JobMapping = {
  name: 'penalties',
  category: 'P07-002',
  key: ['id'],
  subject: { kind: { column: 'party_type', values: { 法人: 'legal', 个体: 'individual_business', 个人: 'natural' } }, name: 'party', code: 'party_code' },
  fields: {
    CF_WSH: 'decision_no',
    CF_JDRQ: { column: 'punish_date', date: 'YYYY-MM-DD' },
  },
  deleted: { column: 'revoked', values: [1] },
};

const row = {
  id: 1001,
  party_type: '法人',
  party: '黄石市某某有限公司',
  party_code: '91350100M000100Y43',
  decision_no: '黄人社罚〔2026〕12号',
  punish_date: '2026-11-20',
  revoked: 0,
};

type Cells = Record<string, string | number | boolean | null>;

function accepted(r: Cells, options?: Parameters<typeof mapAndValidate>[3]) {
  const result = mapAndValidate(penalties, r, ctx, options);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.rejection.findings)}`);
  return result.record;
}

function findings(r: Cells, options?: Parameters<typeof mapAndValidate>[3]) {
  const result = mapAndValidate(penalties, r, ctx, options);
  if (result.ok) throw new Error('expected a rejection');
  return result.rejection.findings;
}

t.test('a clean penalty row becomes a record with no warnings', async (t) => {
  const record = accepted(row);
  t.same(record.subject, { kind: 'legal', name: '黄石市某某有限公司', code: '91350100M000100Y43' });
  t.equal(record.warnings, undefined);
});

t.test('a penalty row whose credit code has a wrong check character is rejected, naming subject.code and the expected character', async (t) => {
  t.same(findings({ ...row, party_code: '91350100M000100Y44' }), [
    { field: 'subject.code', code: 'CREDIT_CODE_CHECK', message: '统一社会信用代码校验位错误：应为 3' },
  ]);
});

t.test('a row with two problems reports both', async (t) => {
  t.same(findings({ ...row, party: '', punish_date: '2026-11-31' }).map((f) => [f.field, f.code]), [
    ['CF_JDRQ', 'DATE_INVALID'],
    ['subject.name', 'SUBJECT_NAME_MISSING'],
  ]);
  t.same(findings({ ...row, id: null, party_code: '91350100M000100Y44' }).map((f) => [f.field, f.code]), [
    ['key', 'KEY_MISSING'],
    ['subject.code', 'CREDIT_CODE_CHECK'],
  ]);
});

t.test('a 15-digit ID number is converted and the record carries a warning', async (t) => {
  const record = accepted({ ...row, party_type: '个人', party: '张三', party_code: '110105491231002' });
  t.same(record.subject, { kind: 'natural', name: '张三', code: '11010519491231002X' });
  t.same(record.warnings, [
    { field: 'subject.code', code: 'ID_CONVERTED_FROM_15', message: '15 位居民身份证号码已按 GB 11643-1999 升为 18 位' },
  ]);
  t.equal(record.fingerprint, fingerprint({ op: 'upsert', subject: record.subject, data: record.data }), 'the fingerprint is of what is sent');
});

t.test('a natural person\'s number is checked as a 居民身份证号码, birth dates up to the day it was read', async (t) => {
  const person = { ...row, party_type: '个人', party: '张三' };
  t.same(findings({ ...person, party_code: '110105199902300023' }), [
    { field: 'subject.code', code: 'ID_BIRTH_DATE', message: '居民身份证号码出生日期无效：19990230' },
  ]);
  // Read at 08:00 UTC on 26 November, which is already the 26th in China.
  t.ok(accepted({ ...person, party_code: '11010520261126002X' }), 'born the day the row was read');
  t.equal(findings({ ...person, party_code: '110105202611270025' })[0]!.code, 'ID_BIRTH_FUTURE');
  t.equal(findings({ ...person, party_code: 'E12345678' })[0]!.code, 'ID_LENGTH', 'passport numbers are not accepted');
});

t.test('a 个体工商户 without a code may use the placeholder; a company may not', async (t) => {
  const record = accepted({ ...row, party_type: '个体', party: '黄石港区某某小吃店', party_code: '00000000000000000x' });
  t.same(record.subject, { kind: 'individual_business', name: '黄石港区某某小吃店', code: '00000000000000000X' });
  t.same(findings({ ...row, party_code: '00000000000000000X' }).map((f) => [f.field, f.code]), [
    ['subject.code', 'CREDIT_CODE_PLACEHOLDER_INDIVIDUAL_ONLY'],
  ]);
  t.same(findings({ ...row, party_code: '000000000000000000' }).map((f) => f.code), ['CREDIT_CODE_PLACEHOLDER']);
});

t.test('a credit code typed in full-width is sent half-width', async (t) => {
  t.equal(accepted({ ...row, party_code: '９１３５０１００ｍ０００１００ｙ４３' }).subject?.code, '91350100M000100Y43');
});

t.test('an embedded 组织机构代码 that fails its own check is sent, with a warning', async (t) => {
  const record = accepted({ ...row, party_code: '91350100M000100Y56' });
  t.same(record.warnings?.map((w) => [w.field, w.code]), [['subject.code', 'CREDIT_CODE_EMBEDDED_ORG_CODE']]);
});

t.test('fields the data standard requires must be filled', async (t) => {
  t.same(findings({ ...row, decision_no: null }, { requiredFields: ['CF_WSH', 'CF_JDRQ'] }), [
    { field: 'CF_WSH', code: 'FIELD_REQUIRED', message: '必填字段 CF_WSH 为空' },
  ]);
});

t.test('a field that failed to map is reported once, not again as missing', async (t) => {
  t.same(findings({ ...row, punish_date: '昨天' }, { requiredFields: ['CF_JDRQ'] }).map((f) => f.code), ['DATE_INVALID']);
  const { party_code: _omitted, ...withoutCode } = row;
  t.same(findings(withoutCode).map((f) => [f.field, f.code]), [['subject.code', 'COLUMN_MISSING']]);
});

t.test('with an unknown subject kind, the name is still checked', async (t) => {
  t.same(findings({ ...row, party_type: '其他', party: ' ' }).map((f) => [f.field, f.code]), [
    ['subject.kind', 'SUBJECT_KIND_UNKNOWN'],
    ['subject.name', 'SUBJECT_NAME_MISSING'],
  ]);
});

t.test('a withdrawn row is a delete whatever state its subject is in', async (t) => {
  const record = accepted({ ...row, revoked: 1, party: '', party_code: 'nonsense' });
  t.equal(record.op, 'delete');
  t.equal(record.subject, undefined);
  t.equal(record.fingerprint, fingerprint({ op: 'delete' }));
});

t.test('a withdrawn row still needs its key', async (t) => {
  t.same(findings({ ...row, revoked: 1, id: null }).map((f) => f.code), ['KEY_MISSING']);
});
