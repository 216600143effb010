import t from 'tap';
import type { CandidateRecord } from '../../../gateway/model.js';
import { fingerprint, recordLine, withProvenance } from '../../../gateway/records/serialize.js';

const base: CandidateRecord = {
  id: 'r1', category: 'P06-031', key: 'YS1', op: 'upsert', observedAt: '2026-03-02T01:00:00.000Z',
  subject: { kind: 'natural', name: '张三', code: '420202198503120046' },
  data: { ZG_ZSBH: 'YS1' },
  fingerprint: '',
};

t.test('a record without provenance keeps the line and fingerprint it always had', async (t) => {
  t.equal(fingerprint(base), fingerprint({ op: 'upsert', subject: base.subject, data: base.data }));
  t.notMatch(recordLine({ ...base, fingerprint: fingerprint(base) }, 7), /provenance/);
});

t.test('provenance travels after data on an upsert and is part of its fingerprint', async (t) => {
  const record = withProvenance({ ...base, fingerprint: fingerprint(base) }, { kind: 'system', system: '湖北省食品药品监管信息化业务平台', profile: 'hbfda-ys' });
  t.not(record.fingerprint, fingerprint(base));
  const line = recordLine(record, 7);
  t.same(Object.keys(JSON.parse(line)), ['id', 'category', 'op', 'seq', 'observedAt', 'subject', 'data', 'provenance']);
  t.same(JSON.parse(line).provenance, { kind: 'system', system: '湖北省食品药品监管信息化业务平台', profile: 'hbfda-ys' });
});

t.test('a delete carries no provenance', async (t) => {
  const deleted: CandidateRecord = { id: 'r1', category: 'P06-031', key: 'YS1', op: 'delete', observedAt: base.observedAt, fingerprint: fingerprint({ op: 'delete' }) };
  t.equal(withProvenance(deleted, { kind: 'own', profile: 'x' }), deleted);
});
