import t from 'tap';
import type { CandidateRecord, RecordData, Subject } from '../../../gateway/model.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { loadStandards } from '../../../gateway/standards/index.js';
import { validateAgainstStandard } from '../../../gateway/validation/validate-standard.js';

const standards = loadStandards();
const xzxk = standards.byInfoType('行政许可');

const company: Subject = { kind: 'legal', name: '黄石青龙劳务派遣有限责任公司', code: '91420200443KAUH61L' };

const licence: RecordData = {
  XK_XDR_MC: '黄石青龙劳务派遣有限责任公司', XK_XDR_LB: '法人及非法人组织', XK_XDR_SHXYM: '91420200443KAUH61L', XK_FRDB: '王芳',
  XK_XKWS: '劳务派遣经营许可决定书', XK_WSH: '鄂人社许字〔2026〕101号', XK_XKLB: '普通', XK_XKZS: '劳务派遣经营许可证',
  XK_NR: '劳务派遣业务', XK_JDRQ: '2026-10-24', XK_YXQZ: '2026-10-24', XK_YXQZI: '2029-10-23',
  XK_XKJG: '黄石市人力资源和社会保障局', XK_XKJGDM: '11420200011079463Y', XK_ZT: '1',
  XK_LYDW: '黄石市人力资源和社会保障局', XK_LYDWDM: '11420200011079463Y',
};

/** `null` for a record without a subject. */
function record(data: RecordData, subject: Subject | null = company): CandidateRecord {
  return {
    id: 'x', category: 'P07-008', key: '1', op: 'upsert', observedAt: '2026-11-26T08:00:00.000Z',
    ...(subject ? { subject } : {}), data, fingerprint: fingerprint({ op: 'upsert', subject: subject ?? undefined, data }),
  };
}

t.test('a licence meeting the standard passes unchanged', async (t) => {
  const v = validateAgainstStandard(record(licence), xzxk);
  t.same(v.errors, []);
  t.same(v.warnings, []);
  t.same(v.record.data, licence);
});

t.test('a file\'s record with old codes and clerk spellings comes back in the standard\'s terms, with a fingerprint to match', async (t) => {
  const { XK_XDR_MC, XK_XKLB: _k, XK_YXQZI: _y, XK_ZT: _z, ...rest } = licence;
  const v = validateAgainstStandard(record({ ...rest, XK_XDR: XK_XDR_MC, XK_SPLB: '普通许可', XK_JZQ: '长期', XK_ZT: '有效' }), xzxk);
  t.same(v.errors, []);
  t.same(v.record.data, { ...licence, XK_XKLB: '普通', XK_YXQZI: '2099-12-31', XK_ZT: '1' });
  t.equal(v.record.fingerprint, fingerprint({ op: 'upsert', subject: v.record.subject, data: v.record.data }));
});

t.test('the subject is checked too, and a missing one is an error', async (t) => {
  const bad = validateAgainstStandard(record(licence, { ...company, code: '91420200443KAUH61M' }), xzxk);
  t.same(bad.errors.map((f) => [f.field, f.code]), [['subject.code', 'CREDIT_CODE_CHECK']]);
  t.same(validateAgainstStandard(record(licence, null), xzxk).errors.map((f) => f.code), ['SUBJECT_MISSING']);
});

t.test('every problem of the record is listed, one per field', async (t) => {
  const v = validateAgainstStandard(record({ ...licence, XK_XKLB: '许可', XK_JDRQ: '2026-12-01', XK_YXQZ: '2030-01-01', XK_WSH: null }), xzxk);
  t.same(v.errors.map((f) => [f.field, f.code]), [
    ['XK_WSH', 'FIELD_REQUIRED'],
    ['XK_XKLB', 'CODE_NOT_IN_TABLE'],
    ['XK_YXQZ', 'DATE_ORDER'],
    ['XK_JDRQ', 'DATE_IN_FUTURE'],
  ]);
});

t.test('today defaults to the day the record was read, in China, and can be given', async (t) => {
  const late = record({ ...licence, XK_JDRQ: '2026-11-27', XK_YXQZ: '2026-11-27' });
  t.same(validateAgainstStandard(late, xzxk).errors.map((f) => f.code), ['DATE_IN_FUTURE']);
  t.same(validateAgainstStandard(late, xzxk, { today: '2026-11-27' }).errors, []);
});

t.test('a delete has nothing to check', async (t) => {
  const del: CandidateRecord = { id: 'x', category: 'P07-008', key: '1', op: 'delete', observedAt: '2026-11-26T08:00:00.000Z', fingerprint: fingerprint({ op: 'delete' }) };
  t.same(validateAgainstStandard(del, xzxk), { errors: [], warnings: [], record: del });
});
