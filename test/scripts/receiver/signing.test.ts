import t from 'tap';
import {
  authorizationHeader, contentDigest, hexEquals, stringToSign,
} from '../../../scripts/receiver/signing.js';
import { digestOf, sign } from './helpers/sign.js';

// Spec section 1, worked example: every value below is copied from the spec.
const BODY =
  '{"id":"c54b28a6f9a02d1bd554cd742487196a59ba3d7fd2e840041c699879dbf03adc","category":"P07-002","op":"delete","seq":1,"observedAt":"2026-11-26T08:00:00.000Z"}\n';
const SECRET = 'hs-credit-demo-secret';
const PATH = '/exchange/v1/batches';
const TIMESTAMP = '1795680000000';
const NONCE = '0123456789abcdef0123456789abcdef';
const ROWS = {
  sha256: {
    digest: 'sha256=260472a3c86046941c0a49455928a93b08e9c1fcf974c170a08d2ef3d8e67856',
    authorization: 'HMAC-SHA256 e6c0746cb4e0cdf45c7e9c4ffdaacaacde613ef7817958c758fcdf4035411211',
  },
  sm3: {
    digest: 'sm3=fadb7b195ddcde0f1079f0cff02aac5cd6a5ae2712f12bd7f00df0c34513ac19',
    authorization: 'HMAC-SM3 8777be97570be10a1997af218ec568afa5bab0fb1d119ddc2c030f9db2cbf2be',
  },
} as const;

t.test('the worked example body is the 157 bytes the spec describes', async (t) => {
  t.equal(Buffer.byteLength(BODY), 157);
});

for (const alg of ['sha256', 'sm3'] as const) {
  t.test(`the receiver reproduces the worked example's ${alg} row`, async (t) => {
    const digest = contentDigest(alg, Buffer.from(BODY));
    t.equal(digest, ROWS[alg].digest);
    t.equal(
      authorizationHeader(alg, SECRET, { method: 'POST', path: PATH, timestamp: TIMESTAMP, nonce: NONCE, digest }),
      ROWS[alg].authorization,
    );
  });

  t.test(`the tests' own signer reproduces the worked example's ${alg} row`, async (t) => {
    const digest = digestOf(alg, BODY);
    t.equal(digest, ROWS[alg].digest);
    t.equal(sign(alg, SECRET, 'POST', PATH, TIMESTAMP, NONCE, digest), ROWS[alg].authorization);
  });
}

t.test('the digest of an empty body is the one the spec gives', async (t) => {
  t.equal(contentDigest('sha256', Buffer.alloc(0)), 'sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  t.equal(digestOf('sha256', ''), 'sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

t.test('the string to sign is five lines, method upper-cased, no trailing newline', async (t) => {
  t.equal(
    stringToSign({ method: 'post', path: PATH, timestamp: TIMESTAMP, nonce: NONCE, digest: 'sha256=ab' }),
    `POST\n${PATH}\n${TIMESTAMP}\n${NONCE}\nsha256=ab`,
  );
});

t.test('hex comparison ignores case but not length or content', async (t) => {
  t.ok(hexEquals('ABcd', 'abCD'));
  t.notOk(hexEquals('abcd', 'abc'));
  t.notOk(hexEquals('abcd', 'abce'));
});
