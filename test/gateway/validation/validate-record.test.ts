import t from 'tap';
import type { CandidateRecord } from '../../../gateway/model.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { validateRecord } from '../../../gateway/validation/validate-record.js';

function record(subject: CandidateRecord['subject'], data: CandidateRecord['data'] = {}): CandidateRecord {
  return {
    id: 'c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc',
    category: 'P07-002',
    key: '1001',
    op: 'upsert',
    observedAt: '2026-11-26T08:00:00.000Z',
    subject,
    data,
    fingerprint: fingerprint({ op: 'upsert', subject, data }),
  };
}

t.test('a legal person\'s record with a valid credit code and name passes', async (t) => {
  const r = record({ kind: 'legal', name: '黄石市某某有限公司', code: '91350100M000100Y43' });
  t.same(validateRecord(r), { errors: [], warnings: [], record: r });
});

t.test('the subject code is checked by the standard of its kind', async (t) => {
  const asCompany = validateRecord(record({ kind: 'legal', name: '某某', code: '11010519491231002X' }));
  t.same(asCompany.errors.map((f) => [f.field, f.code]), [['subject.code', 'CREDIT_CODE_CHECK']]);
  const asPerson = validateRecord(record({ kind: 'natural', name: '张三', code: '91350100M000100Y43' }));
  t.same(asPerson.errors.map((f) => [f.field, f.code]), [['subject.code', 'ID_CHARSET']]);
});

t.test('an empty subject name is an error', async (t) => {
  const v = validateRecord(record({ kind: 'legal', name: '　', code: '91350100M000100Y43' }));
  t.same(v.errors, [{ field: 'subject.name', code: 'SUBJECT_NAME_MISSING', message: '主体名称为空' }]);
});

t.test('required fields must be present and non-blank', async (t) => {
  const v = validateRecord(
    record({ kind: 'legal', name: '某某', code: '91350100M000100Y43' }, { A: '1', B: ' ', C: null }),
    { requiredFields: ['A', 'B', 'C', 'D'] },
  );
  t.same(v.errors.map((f) => f.field), ['B', 'C', 'D']);
});

t.test('the returned record carries the normalised code, a matching fingerprint and the warnings', async (t) => {
  const v = validateRecord(record({ kind: 'natural', name: '张三', code: '110105491231002' }));
  t.same(v.errors, []);
  t.same(v.warnings.map((w) => w.code), ['ID_CONVERTED_FROM_15']);
  t.equal(v.record.subject?.code, '11010519491231002X');
  t.same(v.record.warnings, v.warnings);
  t.equal(v.record.fingerprint, fingerprint({ op: 'upsert', subject: v.record.subject, data: v.record.data }));
});

t.test('birth dates are bounded by the day the record was read, or the day given', async (t) => {
  const born = record({ kind: 'natural', name: '张三', code: '110105202611270025' });
  t.same(validateRecord(born).errors.map((f) => f.code), ['ID_BIRTH_FUTURE']);
  t.same(validateRecord(born, { today: '2026-11-27' }).errors, []);
});

t.test('an upsert without a subject is an error; a delete has nothing to check', async (t) => {
  t.same(validateRecord(record(undefined)).errors.map((f) => f.code), ['SUBJECT_MISSING']);
  const del: CandidateRecord = {
    id: 'x', category: 'P07-002', key: '1001', op: 'delete', observedAt: '2026-11-26T08:00:00.000Z', fingerprint: fingerprint({ op: 'delete' }),
  };
  t.same(validateRecord(del, { requiredFields: ['A'] }), { errors: [], warnings: [], record: del });
});
