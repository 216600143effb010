/**
 * A line deflated on the kept zlib state is byte for byte what
 * deflateRawSync writes with the same options, whatever came before it:
 * stores already hold lines deflated the plain way, and a fingerprint of
 * nothing depends on it, but a line's stored bytes must not depend on the
 * thread's history.
 */
import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import t from 'tap';
import { lineDeflater } from '../../../gateway/store/line-deflater.js';

const OPTIONS = { level: 1, windowBits: 11, memLevel: 7 };

const TEXTS = [
  '',
  '{"id":"a","category":"P07-002","op":"upsert","seq":,"observedAt":"2026-12-01T02:00:00.000Z"}',
  `{"data":{"CF_NR":"${'罚款人民币一万元，责令改正。'.repeat(40)}"}}`,
  // Incompressible, and longer than the kept buffers: both end up in deflate's plain call.
  randomBytes(6000).toString('latin1'),
  randomBytes(40_000).toString('base64'),
  `lone surrogate \ud800 and emoji 🙂 ${'黄石'.repeat(3000)}`,
];

t.test('every text deflates to the bytes deflateRawSync writes, in any order and repeatedly', async (t) => {
  const deflate = lineDeflater(OPTIONS);
  for (const text of [...TEXTS, ...TEXTS.slice().reverse(), ...TEXTS]) {
    const got = deflate(text, Buffer.byteLength(text));
    t.same(Buffer.from(got), deflateRawSync(text, OPTIONS));
    t.equal(inflateRawSync(got).toString('utf8'), Buffer.from(text).toString('utf8'));
  }
});

t.test('a deflated line is a buffer of its own size, not a view of a kept one', async (t) => {
  const deflate = lineDeflater(OPTIONS);
  const first = deflate(TEXTS[2]!, Buffer.byteLength(TEXTS[2]!));
  const copy = Buffer.from(first);
  deflate(TEXTS[1]!, Buffer.byteLength(TEXTS[1]!));
  t.equal(first.byteLength, first.buffer.byteLength);
  t.same(Buffer.from(first), copy);
});
