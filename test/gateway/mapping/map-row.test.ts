import t from 'tap';
import { markUnreadable, type Row } from '../../../connectors/contract.js';
import type { JobMapping } from '../../../gateway/mapping/types.js';
import { mapRow } from '../../../gateway/mapping/map-row.js';
import { joinKey, recordId } from '../../../gateway/records/record-id.js';
import { fingerprint } from '../../../gateway/records/serialize.js';

const ctx = { gatewayId: 'hs-rsj', observedAt: '2026-11-26T08:00:00.000Z' };

const penalties: JobMapping = {
  name: 'penalties',
  category: 'P07-002',
  key: ['id'],
  subject: { kind: 'legal', name: 'corp_name', code: 'credit_code' },
  fields: {
    CF_WSH: 'decision_no',
    CF_JDRQ: { column: 'punish_date', date: 'YYYYMMDD', required: true },
    CF_SY: { column: 'reason' },
  },
  deleted: { column: 'status', values: [9, 'withdrawn'] },
};

const row = {
  id: 1001,
  corp_name: ' 黄石市某某有限公司 ',
  credit_code: '91350100M000100Y43',
  decision_no: '黄人社罚〔2026〕12号',
  punish_date: '20261120',
  reason: '未按时足额缴纳社会保险费',
  status: 1,
};

function mapped(job: JobMapping, r: Record<string, string | number | boolean | null>) {
  const result = mapRow(job, r, ctx);
  if (!result.ok) throw new Error(`rejected: ${JSON.stringify(result.rejection.findings)}`);
  return result.record;
}

function rejected(job: JobMapping, r: Record<string, string | number | boolean | null>) {
  const result = mapRow(job, r, ctx);
  if (result.ok) throw new Error('expected a rejection');
  return result.rejection;
}

t.test('a penalty row becomes a record with the spec\'s id, its subject and its fields', async (t) => {
  const record = mapped(penalties, row);
  t.same(record, {
    id: recordId('hs-rsj', 'P07-002', '1001'),
    category: 'P07-002',
    key: '1001',
    op: 'upsert',
    observedAt: '2026-11-26T08:00:00.000Z',
    subject: { kind: 'legal', name: '黄石市某某有限公司', code: '91350100M000100Y43' },
    data: { CF_WSH: '黄人社罚〔2026〕12号', CF_JDRQ: '2026-11-20', CF_SY: '未按时足额缴纳社会保险费' },
    fingerprint: record.fingerprint,
  });
  t.equal(record.id, 'c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc', 'the spec\'s worked example');
  t.equal(record.fingerprint, fingerprint({ op: 'upsert', subject: record.subject, data: record.data }));
});

t.test('the same row read again is the same record; a changed field changes the fingerprint only', async (t) => {
  const later = mapRow(penalties, row, { ...ctx, observedAt: '2026-11-27T08:00:00.000Z' });
  const first = mapped(penalties, row);
  t.ok(later.ok);
  if (later.ok) t.equal(later.record.fingerprint, first.fingerprint);
  const changed = mapped(penalties, { ...row, reason: '拒不配合调查' });
  t.equal(changed.id, first.id);
  t.not(changed.fingerprint, first.fingerprint);
});

t.test('a composite key joins its columns with the unit separator', async (t) => {
  const record = mapped({ ...penalties, key: ['id', 'decision_no'] }, row);
  t.equal(record.key, joinKey([1001, '黄人社罚〔2026〕12号']));
  t.equal(record.id, recordId('hs-rsj', 'P07-002', `1001\u001f黄人社罚〔2026〕12号`));
});

t.test('a row without its key is rejected: it could never be updated or withdrawn', async (t) => {
  for (const id of [null, '', '  ']) {
    const rejection = rejected(penalties, { ...row, id });
    t.same(rejection.findings, [{ field: 'key', code: 'KEY_MISSING', message: '记录主键列 id 为空' }]);
    t.equal(rejection.category, 'P07-002');
    t.equal(rejection.observedAt, ctx.observedAt);
    t.equal(rejection.recordId, recordId('hs-rsj', 'P07-002', rejection.key));
  }
  const { id: _omitted, ...withoutId } = row;
  t.equal(rejected(penalties, withoutId).findings[0]!.code, 'KEY_MISSING', 'the column absent altogether');
});

t.test('a withdrawn row becomes a delete without subject or data', async (t) => {
  for (const status of [9, '9', 'withdrawn']) {
    const record = mapped(penalties, { ...row, status, punish_date: null });
    t.same(record, {
      id: recordId('hs-rsj', 'P07-002', '1001'),
      category: 'P07-002',
      key: '1001',
      op: 'delete',
      observedAt: ctx.observedAt,
      fingerprint: fingerprint({ op: 'delete' }),
    }, `status ${JSON.stringify(status)}`);
  }
});

t.test('an unreadable date is rejected, naming the field and the raw value', async (t) => {
  const rejection = rejected(penalties, { ...row, punish_date: '2026年11月20日' });
  t.same(rejection.findings, [{ field: 'CF_JDRQ', code: 'DATE_INVALID', message: '字段 CF_JDRQ 的日期无法识别：2026年11月20日' }]);
});

t.test('a row with several problems reports all of them', async (t) => {
  const rejection = rejected(penalties, { ...row, id: null, punish_date: '20260230' });
  t.same(rejection.findings.map((f) => [f.field, f.code]), [['key', 'KEY_MISSING'], ['CF_JDRQ', 'DATE_INVALID']]);
});

t.test('a required field that is empty is rejected', async (t) => {
  const rejection = rejected(penalties, { ...row, punish_date: ' ' });
  t.same(rejection.findings, [{ field: 'CF_JDRQ', code: 'FIELD_REQUIRED', message: '必填字段 CF_JDRQ 为空' }]);
});

t.test('a mapped column the source does not return is reported for the field that needs it', async (t) => {
  const { reason: _omitted, ...withoutReason } = row;
  t.same(rejected(penalties, withoutReason).findings, [
    { field: 'CF_SY', code: 'COLUMN_MISSING', message: '数据中没有列 reason（CF_SY 需要它）' },
  ]);
  const { credit_code: _code, ...withoutCode } = row;
  t.same(rejected(penalties, withoutCode).findings.map((f) => [f.field, f.code]), [['subject.code', 'COLUMN_MISSING']]);
});

t.test('the subject kind can come from a column, row by row', async (t) => {
  const mixed: JobMapping = {
    ...penalties,
    subject: { ...penalties.subject, kind: { column: 'party_type', values: { '1': 'legal', '2': 'individual_business', '3': 'natural' } } },
  };
  t.equal(mapped(mixed, { ...row, party_type: 1 }).subject?.kind, 'legal');
  t.equal(mapped(mixed, { ...row, party_type: '2' }).subject?.kind, 'individual_business');
  t.same(rejected(mixed, { ...row, party_type: '7' }).findings, [
    { field: 'subject.kind', code: 'SUBJECT_KIND_UNKNOWN', message: '主体类型列 party_type 的值“7”不在作业配置的对照表中' },
  ]);
});

t.test('field rules: constants, the first filled column, joined columns and text clean-up', async (t) => {
  const job: JobMapping = {
    ...penalties,
    fields: {
      DEPT: { const: '市人社局' },
      NOTE: { const: null },
      PHONE: { firstOf: ['mobile', 'phone'] },
      ADDRESS: { concat: { columns: ['city', 'street', 'door'], separator: ' ' } },
      LICENCE: { column: 'licence_no', halfWidth: true, upper: true },
      RAW: { column: 'padded', trim: false },
      BLANK: 'blank',
      AMOUNT: 'amount',
    },
  };
  const record = mapped(job, {
    ...row,
    mobile: '  ', phone: '0714-6222222',
    city: '黄石市', street: null, door: ' 12号 ',
    licence_no: ' ｈｓ－００１２ ',
    padded: 'A  ',
    blank: '',
    amount: 1500.5,
  });
  t.same(record.data, {
    DEPT: '市人社局',
    NOTE: null,
    PHONE: '0714-6222222',
    ADDRESS: '黄石市 12号',
    LICENCE: 'HS-0012',
    RAW: 'A  ',
    BLANK: null,
    AMOUNT: 1500.5,
  });
});

t.test('a rule with no source at all is reported instead of mapping null forever', async (t) => {
  const job: JobMapping = { ...penalties, fields: { CF_WSH: { required: true } } };
  t.same(rejected(job, row).findings.map((f) => [f.field, f.code]), [['CF_WSH', 'FIELD_RULE_EMPTY']]);
});

t.test('a deleted rule whose column is missing is reported, not taken as "not deleted"', async (t) => {
  const { status: _omitted, ...withoutStatus } = row;
  t.same(rejected(penalties, withoutStatus).findings.map((f) => [f.field, f.code]), [['deleted', 'COLUMN_MISSING']]);
});

t.test('a value the source could not read rejects its row only where the job uses its column, with the reason', async (t) => {
  const marked = (column: string, code: 'SOURCE_BINARY_COLUMN' | 'SOURCE_VALUE_UNREADABLE' = 'SOURCE_BINARY_COLUMN') => {
    const r: Row = { ...row, photo: null, [column]: null };
    markUnreadable(r, { column, code, detail: `${column} (BLOB)` });
    return r;
  };
  const unmapped = mapped(penalties, marked('photo'));
  t.equal(unmapped.key, '1001', 'a column the job does not map (SELECT *) rejects nothing');
  t.same(mapped(penalties, marked('photo')).fingerprint, mapped(penalties, { ...row, photo: null }).fingerprint, 'and the mark is no part of the record');

  const field = rejected(penalties, marked('reason'));
  t.match(field.findings, [{ field: 'CF_SY', code: 'VALUE_BINARY', message: '列 reason 是二进制数据（reason (BLOB)），不能作为 CF_SY 的值发送：请在作业查询中去掉该列或在 SQL 中转换为文本' }]);
  t.match(rejected(penalties, marked('decision_no', 'SOURCE_VALUE_UNREADABLE')).findings, [{ field: 'CF_WSH', code: 'VALUE_UNREADABLE', message: /列 decision_no 的值无法读取/ }]);
  t.match(rejected(penalties, marked('credit_code')).findings, [{ field: 'subject.code', code: 'VALUE_BINARY' }], 'a subject column');
  t.match(rejected(penalties, marked('id')).findings, [{ field: 'key', code: 'VALUE_BINARY' }], 'a key column');
  t.match(rejected(penalties, marked('status')).findings, [{ field: 'deleted', code: 'VALUE_BINARY' }], 'the withdrawal flag');
});

t.test('a subject code from several columns takes the first not blank: legal and natural persons in one table', async (t) => {
  const mixed: JobMapping = {
    ...penalties,
    subject: { kind: { column: 'party_type', values: { '1': 'legal', '2': 'natural' } }, name: 'corp_name', code: ['credit_code', 'id_no'] },
  };
  const legal = mapped(mixed, { ...row, party_type: '1', id_no: null });
  t.same(legal.subject, { kind: 'legal', name: '黄石市某某有限公司', code: '91350100M000100Y43' });
  const natural = mapped(mixed, { ...row, id: 1002, party_type: '2', corp_name: '张三', credit_code: '  ', id_no: '420202198503010111' });
  t.same(natural.subject, { kind: 'natural', name: '张三', code: '420202198503010111' }, 'a blank first column gives way to the next');
  const missing = rejected(mixed, { ...row, party_type: '1' });
  t.match(missing.findings, [{ code: 'COLUMN_MISSING', field: 'subject.code' }], 'every listed column must exist, as for firstOf');
});
