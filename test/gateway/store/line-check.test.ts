/**
 * A queued line read back is checked against its row before it joins a
 * batch (line-check.ts): the line serialize.ts made for the row passes,
 * whole or kept around its seq; one that inflated into other bytes does not.
 */
import t from 'tap';
import { recordLine, recordLineParts } from '../../../gateway/records/serialize.js';
import { aroundMismatch, lineMismatch } from '../../../gateway/store/line-check.js';
import { del, rec } from './helpers.js';

const SEQ = 1795680000000123;
const upsert = rec('1', { NAME: '黄石市某某商贸有限公司' });
const rowOf = (r: typeof upsert, line: string) => ({ seq: SEQ, id: r.id, category: r.category, op: r.op, bytes: Buffer.byteLength(line) });
const around = (r: typeof upsert): [Buffer, Buffer] => {
  const [head, tail] = recordLineParts(r);
  return [Buffer.from(head), Buffer.from(tail)];
};

t.test('the line queued for a row is that row\'s, whole or around its seq, upsert or delete', async (t) => {
  for (const r of [upsert, del('2'), { ...rec('legacy'), id: 'legacy-1' }]) {
    const line = recordLine(r, SEQ);
    t.equal(lineMismatch(line, rowOf(r, line)), null);
    t.equal(aroundMismatch(around(r), rowOf(r, line)), null);
  }
});

t.test('a line that reads but is not its row\'s says how it differs', async (t) => {
  const line = recordLine(upsert, SEQ);
  const row = rowOf(upsert, line);
  const other = rec('2');
  t.match(lineMismatch(recordLine(other, SEQ), row), /does not begin as the line of record/, 'another record\'s');
  t.match(lineMismatch(recordLine(upsert, SEQ + 1), row), /does not begin/, 'another seq');
  t.match(lineMismatch(line.slice(0, -3), row), /does not end/, 'cut short');
  t.match(lineMismatch(line.replace('某某', '某'), row), /holds \d+ bytes, where \d+ were queued/, 'a value of another size');
  const [head, tail] = around(upsert);
  t.match(aroundMismatch([Buffer.from(head.toString().replace(upsert.id, other.id)), tail], row), /does not begin/);
  t.match(aroundMismatch([head, tail.subarray(0, -3)], row), /does not end/);
  t.match(aroundMismatch([head, Buffer.from(tail.toString().replace('某某', '某'))], row), /holds/);
});
