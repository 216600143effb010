import t from 'tap';
import { joinKey, recordId } from '../../../gateway/records/record-id.js';
import { fingerprint, recordLine } from '../../../gateway/records/serialize.js';

t.test('record id reproduces the spec worked example', async (t) => {
  t.equal(
    recordId('hs-rsj', 'P07-002', joinKey(['1001'])),
    'c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc',
  );
});

t.test('composite keys are joined by the unit separator', async (t) => {
  t.equal(joinKey(['a', 2, null]), 'a\u001f2\u001f');
});

t.test('a delete line matches the spec worked example byte for byte', async (t) => {
  const line = recordLine(
    {
      id: 'c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc',
      category: 'P07-002', key: '1001', op: 'delete',
      observedAt: '2026-11-26T08:00:00.000Z', fingerprint: 'x',
    },
    1,
  );
  t.equal(line + '\n', '{"id":"c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc","category":"P07-002","op":"delete","seq":1,"observedAt":"2026-11-26T08:00:00.000Z"}\n');
  t.equal(Buffer.byteLength(line + '\n'), 157);
});

t.test('fingerprint ignores field order and read time', async (t) => {
  const a = fingerprint({ op: 'upsert', data: { A: '1', B: '2' } });
  const b = fingerprint({ op: 'upsert', data: { B: '2', A: '1' } });
  t.equal(a, b);
  t.not(a, fingerprint({ op: 'upsert', data: { A: '1', B: '3' } }));
});
