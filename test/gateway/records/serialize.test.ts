import t from 'tap';
import { createHash } from 'node:crypto';
import type { CandidateRecord } from '../../../gateway/model.js';
import { canonicalJson, fingerprint, recordLine, recordLineParts, withProvenance } from '../../../gateway/records/serialize.js';

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

/** Canonical JSON as first written: sorted keys, member by member. Fingerprints stored by earlier versions were made with it. */
function memberByMember(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(memberByMember).join(',')}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object).sort().filter((k) => object[k] !== undefined).map((k) => `${JSON.stringify(k)}:${memberByMember(object[k])}`);
  return `{${members.join(',')}}`;
}

t.test('canonical JSON is byte for byte what it always was, so no stored fingerprint changes', async (t) => {
  const samples: unknown[] = [
    {},
    { b: 1, a: '二', c: null, d: undefined, e: true },
    { 10: 'x', 2: 'y', a1: 'z', A: '\u001f\n"引号"', '键': -0, big: 1e21, small: 5e-7, nan: Number.NaN },
    { op: 'upsert', subject: { kind: 'legal', name: '黄石测试企业有限公司', code: '91420200MA4KXXXX0X' }, data: { CF_WSH: '黄人社监罚〔2026〕1号', CF_JE: 1234.5, CF_ZT: [1, { z: 1, a: [] }] } },
    [{ b: 2, a: 1 }, 'x', null],
  ];
  for (const sample of samples) t.equal(canonicalJson(sample), memberByMember(sample), JSON.stringify(sample) ?? '');
});

t.test('canonical JSON of a shape seen before: the same keys in another order, a key fewer, or one inherited, each written by its own keys', async (t) => {
  const fields = Array.from({ length: 24 }, (_, i) => `F${String(i).padStart(2, '0')}`);
  const record = (order: string[]) => Object.fromEntries(order.map((f) => [f, `值${f}`]));
  const first = record(fields);
  const reversed = record([...fields].reverse());
  const fewer = record(fields.slice(0, -1));
  // Its own keys and then the inherited one list as the first shape's keys do.
  const inherited = Object.create({ [fields[fields.length - 1]!]: 'inherited' }) as Record<string, unknown>;
  Object.assign(inherited, fewer);
  for (const sample of [first, reversed, fewer, inherited, first, fewer]) t.equal(canonicalJson(sample), memberByMember(sample));
  t.equal(canonicalJson(reversed), canonicalJson(first), 'the order keys were added in does not matter');
  t.equal(canonicalJson(inherited), canonicalJson(fewer), 'an inherited key is not the object\'s own');
});

t.test('a line put together around its seq is the line written whole', async (t) => {
  const whole = (r: CandidateRecord, seq: number) => JSON.stringify({
    id: r.id, category: r.category, op: r.op, seq, observedAt: r.observedAt,
    ...(r.op === 'upsert' ? { subject: r.subject, data: r.data, ...(r.provenance ? { provenance: r.provenance } : {}) } : {}),
  });
  const tricky: CandidateRecord = { ...base, data: { ZG_ZSBH: '"seq":0,\u001f\n', X: null, N: 12.5 } };
  const provenance = withProvenance(base, { kind: 'system', system: '湖北省食品药品监管信息化业务平台', profile: 'food' });
  const deleted: CandidateRecord = { ...base, op: 'delete', subject: undefined, data: undefined };
  for (const record of [base, tricky, provenance, deleted]) {
    for (const seq of [0, 7, 123456789012]) {
      t.equal(recordLine(record, seq), whole(record, seq));
      const [head, tail] = recordLineParts(record);
      t.equal(`${head}${seq}${tail}`, whole(record, seq), 'and around its seq');
    }
  }
});

t.test('a fingerprint is the sha256 of the canonical document it always was, whatever the shape of subject and data', async (t) => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const documentOf = (r: Pick<CandidateRecord, 'op' | 'subject' | 'data'>) => memberByMember({ op: r.op, subject: r.subject ?? null, data: r.data ?? null });
  const fields = Array.from({ length: 24 }, (_, i) => `CF_${String.fromCharCode(90 - i)}`);
  const wide = Object.fromEntries(fields.map((f, i) => [f, i % 3 === 0 ? null : i % 3 === 1 ? `值"${f}"\n` : i * 1.5]));
  const datas: unknown[] = [
    wide,
    { ...wide, CF_Z: undefined },
    { ...wide, CF_NESTED: { b: 1, a: [2, { d: 1, c: 0 }] } },
    JSON.parse('{"__proto__": "x", "b": 1}'),
    { 10: 'x', 2: 'y', a: 'z' },
    {},
    null,
    undefined,
  ];
  const subjects = [base.subject, { code: 'c', name: '名', kind: 'legal' as const }, undefined];
  for (const data of datas) {
    for (const subject of subjects) {
      const record = { op: 'upsert' as const, subject, data: data as CandidateRecord['data'] };
      t.equal(fingerprint(record), sha256(documentOf(record)), JSON.stringify(record) ?? '');
    }
  }
  t.equal(fingerprint({ op: 'delete' }), sha256(documentOf({ op: 'delete' })));
});
