/**
 * A queued line read back is checked against its row before it joins a
 * batch (line-check.ts): the line serialize.ts made for the row passes,
 * whole or kept around its seq; one that inflated into other bytes does not.
 */
import t from 'tap';
import { recordLine, recordLineParts } from '../../../gateway/records/serialize.js';
import { chunkLine, lineMismatch } from '../../../gateway/store/line-check.js';
import { lineWithSeq } from '../../../gateway/store/outbox-chunks.js';
import { del, rec } from './helpers.js';

const SEQ = 1795680000000123;
const upsert = rec('1', { NAME: '黄石市某某商贸有限公司' });
const rowOf = (r: typeof upsert, line: string) => ({ seq: SEQ, id: r.id, category: r.category, op: r.op, bytes: Buffer.byteLength(line) });
/** The line kept without its seq, as a chunk keeps it: between other lines of the same bytes. */
const inChunk = (head: string, tail: string) => {
  const before = '{"id":"another line"}\n';
  const buffer = Buffer.from(`${before}${head}${tail}\n{"id":"a line after"}`);
  const start = Buffer.byteLength(before);
  return { buffer, start, end: start + Buffer.byteLength(head + tail) };
};
const spanOf = (r: typeof upsert) => inChunk(...recordLineParts(r));

t.test('the line queued for a row is that row\'s, whole or around its seq, upsert or delete', async (t) => {
  // An id that is not sha256 hex, one in Chinese, and one too long to be compared in the scratch buffer.
  // And ids JSON writes escaped (a quote, a backslash, a control character).
  const escaped = [{ ...rec('q'), id: 'a"b' }, { ...rec('b'), id: 'a\\b' }, { ...rec('c'), id: 'a\u001fb' }];
  for (const r of [upsert, del('2'), { ...rec('legacy'), id: 'legacy-1' }, { ...rec('x'), id: '黄石-1' }, { ...rec('y'), id: 'y'.repeat(600) }, ...escaped]) {
    const line = recordLine(r, SEQ);
    t.equal(lineMismatch(line, rowOf(r, line)), null);
    const span = spanOf(r);
    const mid = chunkLine(span, rowOf(r, line));
    t.equal(typeof mid, 'number', `${r.id.slice(0, 12)} in its chunk`);
    if (typeof mid === 'number') t.equal(lineWithSeq({ ...span, mid }, SEQ), line, 'made whole again, the same line');
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
  const [head, tail] = recordLineParts(upsert);
  t.match(chunkLine(inChunk(head.replace(upsert.id, other.id), tail), row), /does not begin/, 'another record\'s, in a chunk');
  t.match(chunkLine(inChunk(head.slice(0, 20), ''), row), /does not begin/, 'cut short within its head');
  t.match(chunkLine(inChunk(head, tail), { ...row, category: `${row.category}X` }), /does not begin/, 'another category');
  t.match(chunkLine(inChunk(head, tail), { ...row, op: 'delete' }), /does not begin/, 'another op');
  t.match(chunkLine(inChunk(head.replace(upsert.id, upsert.id.slice(0, -1)), tail), row), /does not begin/, 'an id a character short');
  t.match(chunkLine(inChunk(head, tail), { ...row, seq: SEQ * 10 }), /holds \d+ bytes/, 'a seq of another length');
  t.match(chunkLine(inChunk(head, tail.slice(0, -3)), row), /does not end/);
  t.match(chunkLine(inChunk(head, tail.replace('某某', '某')), row), /holds/);
});
