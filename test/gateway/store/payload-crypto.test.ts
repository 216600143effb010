/**
 * The sealed-value format, pinned by vectors computed outside this code
 * (Python's `cryptography` over OpenSSL, see the comment on each), and the
 * promises around it: a wrong key or a flipped byte is refused, never
 * decrypted into garbage; old keys still open what they sealed.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import t from 'tap';
import { GatewayError } from '../../../gateway/errors.js';
import { keyId, open, parseKey, PayloadCipher, PayloadCryptoError, seal, sealedKeyId } from '../../../gateway/store/payload-crypto.js';

const KEY_HEX = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('hex');
const KEY = parseKey(KEY_HEX);
const TEXT = '张伟 420202199002154568';
const PURPOSE = 'outbox.line';

/*
 * key = bytes(range(32)); kid = HMAC-SHA256(key, b'credit-gateway store key id v1')[:8]
 * aad = header + u32be(len(purpose)) + purpose
 * gcm: AESGCM(key).encrypt(bytes(range(1,13)), text, aad)
 * sm4: enc = HMAC-SM3(key, b'credit-gateway sm4-ctr key')[:16], mac = HMAC-SM3(key, b'credit-gateway hmac-sm3 key'),
 *      SM4-CTR(enc, bytes(range(16,32))), tag = HMAC-SM3(mac, aad + iv + ct)
 */
const VECTORS = {
  'aes-256-gcm': {
    iv: Buffer.from(Array.from({ length: 12 }, (_, i) => i + 1)),
    sealed: '0101176c9181a07c3f560102030405060708090a0b0ce056fa31500bd0b27e9251772222d3117273d3cfa25965f3990973159403127fa5686c37dcdc6a103e',
  },
  sm4: {
    iv: Buffer.from(Array.from({ length: 16 }, (_, i) => i + 16)),
    sealed: '0102176c9181a07c3f56101112131415161718191a1b1c1d1e1f03b30e6d04691412f1995cade794de7d9961f41faab5881a0f6d3dea5d5a81f7e22d313995a79b8f4e886dedc289d16bf81fab271ce2bdf142',
  },
} as const;

t.test('the runtime SM4 is the standard one (GB/T 32907 example 1)', async (t) => {
  const cipher = createCipheriv('sm4-ecb', Buffer.from('0123456789abcdeffedcba9876543210', 'hex'), null).setAutoPadding(false);
  const out = Buffer.concat([cipher.update(Buffer.from('0123456789abcdeffedcba9876543210', 'hex')), cipher.final()]);
  t.equal(out.toString('hex'), '681edf34d206965e86b3e94f536e4246');
});

t.test('a key is 32 bytes, as hex or base64, and names itself by an id', async (t) => {
  t.equal(KEY.id, '176c9181a07c3f56');
  t.equal(parseKey(Buffer.from(KEY_HEX, 'hex').toString('base64')).id, KEY.id, 'base64 of the same bytes is the same key');
  t.equal(keyId(KEY.material), KEY.id);
  for (const bad of ['', 'short', KEY_HEX.slice(2), `${KEY_HEX}00`, 'password1234567890', Buffer.alloc(16).toString('base64')]) {
    t.throws(() => parseKey(bad), { name: 'PayloadCryptoError', reason: 'key_invalid' }, `"${bad}" is refused`);
  }
});

for (const [algorithm, vector] of Object.entries(VECTORS) as [keyof typeof VECTORS, (typeof VECTORS)[keyof typeof VECTORS]][]) {
  t.test(`${algorithm}: the sealed value matches the independent vector and opens back`, async (t) => {
    const sealed = seal(KEY, algorithm, TEXT, PURPOSE, vector.iv);
    t.equal(sealed.toString('hex'), vector.sealed);
    t.equal(open(new Map([[KEY.id, KEY]]), Buffer.from(vector.sealed, 'hex'), PURPOSE), TEXT);
    t.equal(sealedKeyId(sealed), KEY.id);
    t.notOk(sealed.includes(Buffer.from('420202199002154568')), 'the ID number is not in the sealed bytes');
  });

  t.test(`${algorithm}: every flipped byte is refused, never decrypted`, async (t) => {
    const sealed = Buffer.from(vector.sealed, 'hex');
    const keys = new Map([[KEY.id, KEY]]);
    let refused = 0;
    for (let i = 0; i < sealed.length; i++) {
      const bad = Buffer.from(sealed);
      bad[i] ^= 0x01;
      try {
        open(keys, bad, PURPOSE);
      } catch (err) {
        if (err instanceof PayloadCryptoError) refused++;
      }
    }
    t.equal(refused, sealed.length, 'each of the bytes, header, IV, body and tag');
    t.throws(() => open(keys, sealed.subarray(0, sealed.length - 1), PURPOSE), { name: 'PayloadCryptoError', reason: 'value_invalid' }, 'a truncated value');
    t.throws(() => open(keys, sealed, 'rejections.message'), { name: 'PayloadCryptoError', reason: 'value_invalid' }, 'a value moved to another column');
  });
}

t.test('a value sealed with a key that is not configured is refused as such', async (t) => {
  const other = parseKey(randomBytes(32).toString('hex'));
  const sealed = seal(other, 'aes-256-gcm', TEXT, PURPOSE);
  t.throws(() => open(new Map([[KEY.id, KEY]]), sealed, PURPOSE), { name: 'PayloadCryptoError', reason: 'key_unknown' });
});

t.test('the cipher seals with the current key, opens with previous ones, and reads plaintext as it is', async (t) => {
  const old = parseKey(randomBytes(32).toString('hex'));
  const fresh = parseKey(randomBytes(32).toString('hex'));
  const before = new PayloadCipher(old, 'sm4');
  const sealedBefore = before.seal(TEXT, PURPOSE);
  const after = new PayloadCipher(fresh, 'aes-256-gcm', [old]);
  t.equal(after.open(sealedBefore, PURPOSE), TEXT, 'a value of the previous key (and algorithm)');
  const sealedAfter = after.seal(TEXT, PURPOSE);
  t.equal(sealedKeyId(sealedAfter), fresh.id, 'new values use the current key');
  t.not(sealedAfter.toString('hex'), after.seal(TEXT, PURPOSE).toString('hex'), 'a fresh IV each time');
  t.equal(after.open(TEXT, PURPOSE), TEXT, 'TEXT is plaintext from before encryption');
  t.same(after.ids(), [fresh.id, old.id]);
  const err = t.throws(() => before.open(sealedAfter, PURPOSE)) as GatewayError;
  t.equal(err.code, 'STORE_KEY_MISSING');
  const flipped = Buffer.from(sealedAfter);
  flipped[flipped.length - 1] ^= 0x80;
  t.equal((t.throws(() => after.open(flipped, PURPOSE)) as GatewayError).code, 'STORE_VALUE_UNREADABLE');
});
