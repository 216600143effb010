import t from 'tap';
import { envelopeFor, generateKeys, keyFingerprint, privateKeyFrom, publicKeyFrom, publicKeyPemOf, signBytes, verifyBytes } from '../../../gateway/control/keys.js';
import { generateKeyPairSync } from 'node:crypto';

const pair = generateKeys();

t.test('a signature holds for the exact bytes and the matching key only', async (t) => {
  const bytes = Buffer.from('{"version":1}');
  const signature = signBytes(bytes, pair.privateKeyPem);
  t.equal(Buffer.from(signature, 'base64').length, 64, 'Ed25519 signatures are 64 bytes');
  t.equal(verifyBytes(bytes, signature, pair.publicKeyPem), true);
  t.equal(verifyBytes(Buffer.from('{"version":2}'), signature, pair.publicKeyPem), false, 'other bytes');
  t.equal(verifyBytes(bytes, signature, generateKeys().publicKeyPem), false, 'another key');
  t.equal(verifyBytes(bytes, signature.slice(0, 20), pair.publicKeyPem), false, 'a cut signature');
});

t.test('keys of another type are refused by name', async (t) => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  t.throws(() => publicKeyFrom(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()), /not an Ed25519 public key \(rsa\)/);
  t.throws(() => privateKeyFrom(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), /not an Ed25519 private key \(rsa\)/);
});

t.test('the fingerprint is short, stable and the same from either half of the pair', async (t) => {
  const fp = keyFingerprint(pair.publicKeyPem);
  t.match(fp, /^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
  t.equal(keyFingerprint(publicKeyPemOf(pair.privateKeyPem)), fp);
  t.not(keyFingerprint(generateKeys().publicKeyPem), fp);
});

t.test('an envelope takes its version from the bundle and signs its exact bytes', async (t) => {
  const bytes = Buffer.from('{ "version": 7, "spacing": "kept" }');
  const envelope = envelopeFor(bytes, pair.privateKeyPem);
  t.equal(envelope.version, 7);
  t.same(Buffer.from(envelope.bundle, 'base64'), bytes);
  t.equal(verifyBytes(bytes, envelope.signature, pair.publicKeyPem), true);
  t.throws(() => envelopeFor(Buffer.from('{"version":"7"}'), pair.privateKeyPem), /no integer "version"/);
});
