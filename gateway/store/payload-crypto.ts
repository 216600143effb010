/**
 * Encryption at rest of the values the store keeps from source rows (the
 * outbox line, record keys, rejection keys, messages and subject codes).
 * Pure: keys in, bytes out; the only impurity is the random IV, which a
 * caller (the tests' vectors) may pass in.
 *
 * Sealed value, version 1 (a BLOB; a plaintext value stays TEXT, so rows
 * written before encryption was turned on are still read as they are):
 *
 *   byte 0      version (1)
 *   byte 1      algorithm: 1 = AES-256-GCM, 2 = SM4-CTR + HMAC-SM3
 *   bytes 2-9   key id: the first 8 bytes of HMAC-SHA256(key, KEY_ID_LABEL),
 *               so a value names the key that opens it (rotation) and a
 *               wrong key is recognised without trying it (start-up check)
 *   then        AES-256-GCM: IV (12) | ciphertext | tag (16)
 *               SM4:         IV (16) | ciphertext | HMAC-SM3 tag (32)
 *
 * The header and the value's purpose (the column it belongs in, e.g.
 * `outbox.line`) are authenticated: a flipped byte, a value moved to
 * another column, or a header edited to point at another key is refused,
 * never decrypted into garbage.
 *
 * Why SM4-CTR + HMAC-SM3: Node 20's OpenSSL has no SM4-GCM. CTR with a
 * random 128-bit IV is a sound stream mode, and encrypt-then-MAC with an
 * independent MAC key (HMAC-SM3, checked in constant time before anything
 * is decrypted) is the generic composition that gives authenticated
 * encryption; CBC would need padding and invite padding-oracle mistakes.
 * The 32-byte key is split into an SM4 key and a MAC key by HMAC-SM3 with
 * two labels, so the two never share material.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors.js';

export type PayloadAlgorithm = 'aes-256-gcm' | 'sm4';

export const FORMAT_VERSION = 1;
const ALGORITHM_BYTE: Record<PayloadAlgorithm, number> = { 'aes-256-gcm': 1, sm4: 2 };
const KEY_ID_LABEL = 'credit-gateway store key id v1';
const KEY_ID_BYTES = 8;
const HEADER_BYTES = 2 + KEY_ID_BYTES;
const GCM_IV = 12;
const GCM_TAG = 16;
const CTR_IV = 16;
const SM3_TAG = 32;
export const KEY_BYTES = 32;
/** The purpose of record keys, in every table that holds one. */
export const KEY_PURPOSE = 'key';

export interface PayloadKey {
  /** Hex of the 8-byte key id. */
  id: string;
  material: Buffer;
}

/** Why a key or a sealed value was refused; the store turns it into its catalogued code. */
export class PayloadCryptoError extends Error {
  constructor(
    readonly reason: 'key_invalid' | 'key_unknown' | 'value_invalid',
    message: string,
  ) {
    super(message);
    this.name = 'PayloadCryptoError';
  }
}

/** A key as the secrets file holds it: 64 hex digits, or base64 of 32 bytes. */
export function parseKey(text: string): PayloadKey {
  const trimmed = text.trim();
  let material: Buffer | null = null;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) material = Buffer.from(trimmed, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) material = Buffer.from(trimmed, 'base64');
  if (material === null || material.length !== KEY_BYTES) {
    throw new PayloadCryptoError('key_invalid', 'a store key must be 32 bytes written as 64 hex digits or base64 (e.g. openssl rand -hex 32)');
  }
  return { id: keyId(material), material };
}

export function keyId(material: Buffer): string {
  return createHmac('sha256', material).update(KEY_ID_LABEL).digest().subarray(0, KEY_ID_BYTES).toString('hex');
}

/** The key id a sealed value names, or null when the value is not one (plaintext from before encryption). */
export function sealedKeyId(value: unknown): string | null {
  if (!Buffer.isBuffer(value) || value.length < HEADER_BYTES || value[0] !== FORMAT_VERSION) return null;
  return value.subarray(2, HEADER_BYTES).toString('hex');
}

/** A string is sealed as its UTF-8 bytes; bytes (a compressed outbox line) as they are. */
export function seal(key: PayloadKey, algorithm: PayloadAlgorithm, plaintext: string | Buffer, purpose: string, iv?: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FORMAT_VERSION;
  header[1] = ALGORITHM_BYTE[algorithm];
  Buffer.from(key.id, 'hex').copy(header, 2);
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  if (algorithm === 'aes-256-gcm') {
    const nonce = iv ?? randomBytes(GCM_IV);
    const cipher = createCipheriv('aes-256-gcm', key.material, nonce, { authTagLength: GCM_TAG });
    cipher.setAAD(associated(header, purpose));
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([header, nonce, body, cipher.getAuthTag()]);
  }
  const nonce = iv ?? randomBytes(CTR_IV);
  const { encKey, macKey } = sm4Keys(key.material);
  const cipher = createCipheriv('sm4-ctr', encKey, nonce);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([header, nonce, body, sm3Tag(macKey, header, nonce, purpose, body)]);
}

/** The plaintext of a sealed value; throws PayloadCryptoError when no key opens it or it was altered. */
export function open(keys: ReadonlyMap<string, PayloadKey>, value: Buffer, purpose: string): string {
  return openBytes(keys, value, purpose).toString('utf8');
}

/** open() for a value sealed from bytes. */
export function openBytes(keys: ReadonlyMap<string, PayloadKey>, value: Buffer, purpose: string): Buffer {
  const id = sealedKeyId(value);
  if (id === null) throw new PayloadCryptoError('value_invalid', `a ${purpose} value is not in a format this gateway writes`);
  const key = keys.get(id);
  if (!key) throw new PayloadCryptoError('key_unknown', `a ${purpose} value is sealed with key ${id}, which is not configured`);
  const header = value.subarray(0, HEADER_BYTES);
  const algorithm = value[1];
  if (algorithm === ALGORITHM_BYTE['aes-256-gcm']) {
    if (value.length < HEADER_BYTES + GCM_IV + GCM_TAG) throw altered(purpose);
    const nonce = value.subarray(HEADER_BYTES, HEADER_BYTES + GCM_IV);
    const body = value.subarray(HEADER_BYTES + GCM_IV, value.length - GCM_TAG);
    const decipher = createDecipheriv('aes-256-gcm', key.material, nonce, { authTagLength: GCM_TAG });
    decipher.setAAD(associated(header, purpose));
    decipher.setAuthTag(value.subarray(value.length - GCM_TAG));
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw altered(purpose);
    }
  }
  if (algorithm === ALGORITHM_BYTE.sm4) {
    if (value.length < HEADER_BYTES + CTR_IV + SM3_TAG) throw altered(purpose);
    const nonce = value.subarray(HEADER_BYTES, HEADER_BYTES + CTR_IV);
    const body = value.subarray(HEADER_BYTES + CTR_IV, value.length - SM3_TAG);
    const { encKey, macKey } = sm4Keys(key.material);
    // MAC first: nothing altered is ever decrypted.
    if (!timingSafeEqual(sm3Tag(macKey, header, nonce, purpose, body), value.subarray(value.length - SM3_TAG))) throw altered(purpose);
    const decipher = createDecipheriv('sm4-ctr', encKey, nonce);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  }
  throw new PayloadCryptoError('value_invalid', `a ${purpose} value names algorithm ${algorithm}, which this gateway does not know`);
}

function altered(purpose: string): PayloadCryptoError {
  return new PayloadCryptoError('value_invalid', `a ${purpose} value does not authenticate: it was altered or damaged`);
}

/** Header and purpose, the purpose length-prefixed so no two (header, purpose) pairs read alike. */
function associated(header: Buffer, purpose: string): Buffer {
  const label = Buffer.from(purpose, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(label.length);
  return Buffer.concat([header, length, label]);
}

/** Derived once per key: two HMAC-SM3 per value would double the cost of sealing it. */
const derived = new WeakMap<Buffer, { encKey: Buffer; macKey: Buffer }>();

function sm4Keys(material: Buffer): { encKey: Buffer; macKey: Buffer } {
  let keys = derived.get(material);
  if (!keys) {
    keys = {
      encKey: createHmac('sm3', material).update('credit-gateway sm4-ctr key').digest().subarray(0, 16),
      macKey: createHmac('sm3', material).update('credit-gateway hmac-sm3 key').digest(),
    };
    derived.set(material, keys);
  }
  return keys;
}

function sm3Tag(macKey: Buffer, header: Buffer, nonce: Buffer, purpose: string, body: Buffer): Buffer {
  return createHmac('sm3', macKey).update(associated(header, purpose)).update(nonce).update(body).digest();
}

/**
 * The keys a store uses: new values are sealed with `current`; values sealed
 * with any of `previous` are still opened (rotation). A plaintext value
 * (TEXT, from before encryption was turned on) is returned as it is.
 */
export class PayloadCipher {
  readonly current: PayloadKey;
  readonly algorithm: PayloadAlgorithm;
  readonly #keys: Map<string, PayloadKey>;

  constructor(current: PayloadKey, algorithm: PayloadAlgorithm, previous: readonly PayloadKey[] = []) {
    this.current = current;
    this.algorithm = algorithm;
    this.#keys = new Map([...previous, current].map((k) => [k.id, k]));
  }

  /** Every configured key id, current first. */
  ids(): string[] {
    return [this.current.id, ...[...this.#keys.keys()].filter((id) => id !== this.current.id)];
  }

  has(keyIdHex: string): boolean {
    return this.#keys.has(keyIdHex);
  }

  /**
   * A page stores each record's key twice (outbox and record_state), one
   * after the other: the second gets the same sealed bytes instead of a
   * second encryption. Only for keys, which the record id already ties
   * together; every other value gets a fresh IV.
   */
  #lastKey: { plaintext: string; sealed: Buffer } | null = null;

  seal(plaintext: string, purpose: string): Buffer {
    if (purpose !== KEY_PURPOSE) return seal(this.current, this.algorithm, plaintext, purpose);
    if (this.#lastKey?.plaintext === plaintext) return this.#lastKey.sealed;
    const sealed = seal(this.current, this.algorithm, plaintext, purpose);
    this.#lastKey = { plaintext, sealed };
    return sealed;
  }

  /** Bytes sealed as they are (a compressed outbox line), always with a fresh IV. */
  sealBytes(data: Buffer, purpose: string): Buffer {
    return seal(this.current, this.algorithm, data, purpose);
  }

  /** Throws as open() does. */
  openBytes(value: Buffer, purpose: string): Buffer {
    try {
      return openBytes(this.#keys, value, purpose);
    } catch (err) {
      if (!(err instanceof PayloadCryptoError)) throw err;
      throw new GatewayError(err.reason === 'key_unknown' ? 'STORE_KEY_MISSING' : 'STORE_VALUE_UNREADABLE', err.message);
    }
  }

  sealNullable(plaintext: string | null, purpose: string): Buffer | null {
    return plaintext === null ? null : this.seal(plaintext, purpose);
  }

  /** Throws GatewayError STORE_KEY_MISSING or STORE_VALUE_UNREADABLE: never garbage. */
  open(value: string | Buffer, purpose: string): string {
    if (typeof value === 'string') return value;
    try {
      return open(this.#keys, value, purpose);
    } catch (err) {
      if (!(err instanceof PayloadCryptoError)) throw err;
      throw new GatewayError(err.reason === 'key_unknown' ? 'STORE_KEY_MISSING' : 'STORE_VALUE_UNREADABLE', err.message);
    }
  }

  openNullable(value: string | Buffer | null, purpose: string): string | null {
    return value === null ? null : this.open(value, purpose);
  }
}
