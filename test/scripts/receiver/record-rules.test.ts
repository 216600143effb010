import t from 'tap';
import { checkRecord, ruleProblem } from '../../../scripts/receiver/record-rules.js';

const ID = 'c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc';
const base = { id: ID, category: 'P07-002', op: 'upsert', seq: 1287, observedAt: '2026-11-26T08:00:00.000Z' };

t.test('the spec\'s example record passes', async (t) => {
  t.equal(checkRecord({
    ...base,
    subject: { kind: 'legal', name: '黄石市某某有限公司', code: '91420200MA4KXXXXXC' },
    data: { A: 'x', B: 2, C: null },
  }, []), null);
});

t.test('every subject kind of the spec passes', async (t) => {
  for (const kind of ['legal', 'natural', 'individual_business']) {
    t.equal(checkRecord({ ...base, subject: { kind, name: 'n', code: 'c' }, data: {} }, []), null, kind);
  }
});

t.test('a delete needs neither subject nor data', async (t) => {
  t.equal(checkRecord({ ...base, op: 'delete' }, []), null);
});

t.test('a seq beyond exact integers is refused', async (t) => {
  t.equal(checkRecord({ ...base, op: 'delete', seq: 2 ** 53 }, [])?.code, 'RECORD_SEQ_INVALID');
});

t.test('an injected rule fires only when all its conditions hold', async (t) => {
  const rule = { category: 'P07-002', ids: [ID], field: { code: 'A', equals: null }, code: 'R', message: 'm' };
  const record = { ...base, subject: { kind: 'legal', name: 'n', code: 'c' }, data: { A: null } };
  t.same(checkRecord(record, [rule]), { id: ID, code: 'R', message: 'm' });
  t.equal(checkRecord({ ...record, data: {} }, [rule]), null, 'an absent field does not equal null');
  t.equal(checkRecord({ ...record, category: 'P07-003' }, [rule]), null);
});

t.test('a rule needs a code and a message', async (t) => {
  t.equal(ruleProblem({ code: 'X', message: '' }), null);
  t.match(ruleProblem({ code: 'X' }), /code and message/);
  t.match(ruleProblem({ code: 'X', message: 'm', ids: 'a' }), /ids/);
  t.match(ruleProblem({ code: 'X', message: 'm', field: { code: 'A' } }), /equals/);
});
