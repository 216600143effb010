import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelopeBytes, parseEnvelope, readEnvelopeFile, writeEnvelopeFile } from '../../../gateway/control/envelope.js';
import { verifyEnvelope } from '../../../gateway/control/verify.js';
import { bytesOf, context, generateKeys, signed, validBundle } from './bundle-fixtures.js';

const center = generateKeys();

t.test('an envelope written to a file reads back identical and still verifies', async (t) => {
  const dir = t.testdir({});
  const file = join(dir, 'bundle.signed.json');
  const envelope = signed(validBundle(), center);
  writeEnvelopeFile(file, envelope);
  const text = readFileSync(file, 'utf8');
  t.same(Object.keys(JSON.parse(text)), ['version', 'bundle', 'signature'], 'the heartbeat config member, member for member');
  const back = readEnvelopeFile(file);
  t.same(back, envelope);
  t.same(envelopeBytes(back), bytesOf(validBundle()), 'the exact signed bytes');
  t.equal(verifyEnvelope(back, context(center)).ok, true);
});

t.test('a file that is not an envelope is refused with what is wrong', async (t) => {
  const dir = t.testdir({ 'plain.json': JSON.stringify(validBundle()), 'broken.json': '{"version":', 'half.json': '{"version":13,"bundle":"AAAA"}' });
  t.throws(() => readEnvelopeFile(join(dir, 'plain.json')), { code: 'BUNDLE_FILE_NOT_ENVELOPE', message: /unexpected member/ });
  t.throws(() => readEnvelopeFile(join(dir, 'broken.json')), { code: 'BUNDLE_FILE_NOT_ENVELOPE', message: /is not JSON/ });
  t.throws(() => readEnvelopeFile(join(dir, 'half.json')), { code: 'BUNDLE_FILE_NOT_ENVELOPE', message: /"signature"/ });
  t.throws(() => readEnvelopeFile(join(dir, 'missing.json')), { code: 'BUNDLE_FILE_UNREADABLE', message: /missing\.json/ });
});

t.test('a byte-order mark before the JSON is tolerated', async (t) => {
  const envelope = signed(validBundle(), center);
  t.same(parseEnvelope(`\uFEFF${JSON.stringify(envelope)}`), envelope);
});

t.test('a folder that cannot be written says so', async (t) => {
  const dir = t.testdir({});
  writeFileSync(join(dir, 'file'), '');
  t.throws(() => writeEnvelopeFile(join(dir, 'file', 'x.signed.json'), signed(validBundle(), center)), { code: 'BUNDLE_FILE_UNWRITABLE' });
});
