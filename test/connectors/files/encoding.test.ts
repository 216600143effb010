import t from 'tap';
import { readFileSync } from 'node:fs';
import { EncodingSniffer, UTF8_EVIDENCE_CHARS, decodeText, sniffEncoding } from '../../../connectors/files/encoding.js';
import { fixture } from './helpers.js';

/** The verdict for these bytes, fed in pieces of `size` bytes to exercise sequences split across chunks. */
function verdict(bytes: Buffer, size = bytes.length || 1) {
  const sniffer = new EncodingSniffer();
  for (let i = 0; i < bytes.length; i += size) sniffer.push(bytes.subarray(i, i + size));
  return sniffer.finish();
}


t.test('a UTF-8 BOM says UTF-8', async (t) => {
  t.same(verdict(readFileSync(fixture('P07-002_utf8-bom.csv'))), { ok: true, encoding: 'utf-8', bom: true });
});

t.test('valid UTF-8 without a BOM is UTF-8', async (t) => {
  t.same(verdict(readFileSync(fixture('P07-002_utf8.csv'))), { ok: true, encoding: 'utf-8', bom: false });
  t.same(verdict(Buffer.from('code,amount\r\n1,2\r\n')), { ok: true, encoding: 'utf-8', bom: false }, 'plain ASCII reads as UTF-8 (it is the same in GB18030)');
  t.same(verdict(Buffer.alloc(0)), { ok: true, encoding: 'utf-8', bom: false }, 'an empty file decides nothing and reads as empty text');
});

t.test('GBK and GB18030 files are GB18030, which decodes both', async (t) => {
  t.same(verdict(readFileSync(fixture('P07-002_gbk.csv'))), { ok: true, encoding: 'gb18030', bom: false });
  t.same(verdict(readFileSync(fixture('P07-002_gb18030.csv'))), { ok: true, encoding: 'gb18030', bom: false });
});

t.test('联通 in GBK (C1 AA CD A8) is not taken for UTF-8: C1 can never start a UTF-8 sequence', async (t) => {
  t.same(verdict(readFileSync(fixture('liantong-gbk.csv'))), { ok: true, encoding: 'gb18030', bom: false });
});

t.test('the verdict does not depend on how the bytes are chunked', async (t) => {
  for (const name of ['P07-002_utf8.csv', 'P07-002_utf8-bom.csv', 'P07-002_gb18030.csv', 'P07-002_gbk.csv', 'liantong-gbk.csv', 'damaged-utf8.csv', 'invalid-bytes.csv']) {
    const bytes = readFileSync(fixture(name));
    const whole = verdict(bytes);
    for (const size of [1, 2, 3, 5, 7]) t.same(verdict(bytes, size), whole, `${name} in ${size}-byte chunks`);
  }
});

t.test('bytes valid in neither encoding are refused, naming the line in each', async (t) => {
  t.same(verdict(readFileSync(fixture('invalid-bytes.csv'))), {
    ok: false, reason: 'neither', at: { line: 2, byte: 5 }, gb18030At: { line: 2, byte: 5 },
  });
});

t.test('UTF-8 with Chinese text and then a bad line is damaged UTF-8, not GB18030 mojibake', async (t) => {
  const v = verdict(readFileSync(fixture('damaged-utf8.csv')));
  t.match(v, { ok: false, reason: 'damaged-utf8', at: { line: 4 } });
});

t.test('the damaged-UTF-8 rule needs real evidence: a few accented letters are not enough', async (t) => {
  // Two UTF-8 characters, then GBK: too little UTF-8 to overrule a clean GB18030 reading.
  const bytes = Buffer.concat([Buffer.from('é,ü\n', 'utf8'), Buffer.from([0xc1, 0xaa, 0xcd, 0xa8, 0x0a])]);
  t.ok(UTF8_EVIDENCE_CHARS > 2);
  t.match(verdict(bytes), { ok: true, encoding: 'gb18030' });
});

t.test('a BOM file that is not UTF-8 is damaged; GB18030 is not tried', async (t) => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\n', 'utf8'), Buffer.from([0xc1, 0xaa, 0x0a])]);
  t.same(verdict(bytes), { ok: false, reason: 'bom-not-utf8', at: { line: 2, byte: 5 } });
});

t.test('UTF-16 (Excel "Unicode text") is named as such', async (t) => {
  t.match(verdict(readFileSync(fixture('utf16.csv'))), { ok: false, reason: 'utf16' });
});

t.test('a multi-byte sequence cut off at the end of the file is invalid', async (t) => {
  t.match(verdict(Buffer.from([0x61, 0x0a, 0xe4])), { ok: false, reason: 'neither', at: { line: 2 } }, 'E4 alone starts a sequence in both encodings and ends none');
  t.match(verdict(Buffer.from([0x61, 0x0a, 0xe4]), 1), { ok: false, reason: 'neither', at: { line: 2 } }, 'also when the last byte arrives alone');
});

t.test('sniffEncoding stops reading once the verdict cannot change', async (t) => {
  let chunks = 0;
  async function* bytes() {
    yield Buffer.from([0xff, 0x0a]);
    for (;;) {
      chunks += 1;
      if (chunks > 100) throw new Error('read on after the verdict was settled');
      yield Buffer.from('more text\n');
    }
  }
  t.match(await sniffEncoding(bytes()), { ok: false, reason: 'neither' });
  t.ok(chunks <= 1);
});

t.test('decodeText gives the text without its BOM, in either encoding', async (t) => {
  const text = async (name: string, encoding: 'utf-8' | 'gb18030') => {
    let out = '';
    for await (const s of decodeText([readFileSync(fixture(name))], encoding)) out += s;
    return out;
  };
  const utf8 = await text('P07-002_utf8.csv', 'utf-8');
  t.equal(await text('P07-002_utf8-bom.csv', 'utf-8'), utf8);
  t.equal(await text('P07-002_gb18030.csv', 'gb18030'), utf8, 'GB18030 keeps 𠮷');
  t.match(utf8, /𠮷/);
  t.equal(await text('liantong-gbk.csv', 'gb18030'), '联通\r\n');
});

t.test('decodeText refuses bytes that turn invalid after the sniff (the file changed)', async (t) => {
  const run = async () => {
    for await (const _ of decodeText([Buffer.from([0x61, 0xff])], 'utf-8')) void _;
  };
  await t.rejects(run(), { code: 'FILE_ENCODING_INVALID' });
});
