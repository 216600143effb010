import t from 'tap';
import { contentDigest, signRequest, stringToSign } from '../../../gateway/delivery/signing.js';

// Spec section 1, worked example.
const body = Buffer.from(
  '{"id":"c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc","category":"P07-002","op":"delete","seq":1,"observedAt":"2026-11-26T08:00:00.000Z"}\n',
  'utf8',
);
const example = {
  method: 'POST',
  path: '/exchange/v1/batches',
  body,
  secret: 'hs-credit-demo-secret',
  timestamp: 1795680000000,
  nonce: '0123456789abcdef0123456789abcdef',
  gatewayId: 'hs-rsj',
};

t.test('the worked example body is 157 bytes', async (t) => {
  t.equal(body.length, 157);
});

t.test('HMAC-SHA256 reproduces the worked example', async (t) => {
  t.same(signRequest({ ...example, algorithm: 'sha256' }), {
    'X-Gateway-Id': 'hs-rsj',
    'X-Timestamp': '1795680000000',
    'X-Nonce': '0123456789abcdef0123456789abcdef',
    'X-Content-Digest': 'sha256=260472a3c86046941c0a49455928a93b08e9c1fcf974c170a08d2ef3d8e67856',
    Authorization: 'HMAC-SHA256 e6c0746cb4e0cdf45c7e9c4ffdaacaacde613ef7817958c758fcdf4035411211',
  });
});

t.test('HMAC-SM3 reproduces the worked example', async (t) => {
  const headers = signRequest({ ...example, algorithm: 'sm3' });
  t.equal(headers['X-Content-Digest'], 'sm3=fadb7b195ddcde0f1079f0cff02aac5cd6a5ae2712f12bd7f00df0c34513ac19');
  t.equal(headers.Authorization, 'HMAC-SM3 8777be97570be10a1997af218ec568afa5bab0fb1d119ddc2c030f9db2cbf2be');
});

t.test('an empty body has the digest of the empty string', async (t) => {
  t.equal(contentDigest(Buffer.alloc(0), 'sha256'), 'sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.match(signRequest({ ...example, body: Buffer.alloc(0), algorithm: 'sha256' })['X-Content-Digest'], /^sha256=e3b0c442/);
});

t.test('the string to sign is five lines with no trailing newline, method upper-cased', async (t) => {
  t.equal(stringToSign('post', '/p', '1', 'n', 'sha256=x'), 'POST\n/p\n1\nn\nsha256=x');
});

t.test('the signature changes with every signed element', async (t) => {
  const base = signRequest({ ...example, algorithm: 'sha256' }).Authorization;
  t.not(signRequest({ ...example, algorithm: 'sha256', path: '/v1/batches' }).Authorization, base, 'path');
  t.not(signRequest({ ...example, algorithm: 'sha256', timestamp: 1795680000001 }).Authorization, base, 'timestamp');
  t.not(signRequest({ ...example, algorithm: 'sha256', nonce: 'f'.repeat(32) }).Authorization, base, 'nonce');
  t.not(signRequest({ ...example, algorithm: 'sha256', body: Buffer.from('x') }).Authorization, base, 'body');
  t.not(signRequest({ ...example, algorithm: 'sha256', secret: 'other' }).Authorization, base, 'secret');
});

t.test('inputs the platform would refuse are refused before sending', async (t) => {
  t.throws(() => signRequest({ ...example, algorithm: 'sha256', nonce: 'ABCDEF0123456789ABCDEF0123456789' }), /nonce/);
  t.throws(() => signRequest({ ...example, algorithm: 'sha256', nonce: 'abc' }), /nonce/);
  t.throws(() => signRequest({ ...example, algorithm: 'sha256', path: '/v1/batches?x=1' }), /query/);
  t.throws(() => signRequest({ ...example, algorithm: 'sha256', timestamp: 1.5 }), /timestamp/);
});
