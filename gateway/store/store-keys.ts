/**
 * The store's keys from `store.encryption` and the local secrets: the only
 * place a key's text is read. A missing secret is the configuration's error
 * (CONFIG_SECRET_MISSING, naming the member); a secret that is not a 32-byte
 * key is STORE_KEY_INVALID, naming the member too.
 */
import type { GatewayConfig } from '../../config/schema.js';
import type { Secrets } from '../../config/secrets.js';
import { GatewayError } from '../errors.js';
import { parseKey, PayloadCipher, PayloadCryptoError, type PayloadKey } from './payload-crypto.js';

type Encryption = NonNullable<GatewayConfig['store']['encryption']>;

/** undefined when encryption is off. */
export function storeCipher(encryption: Encryption | undefined, secrets: Pick<Secrets, 'get'>): PayloadCipher | undefined {
  if (!encryption) return undefined;
  const key = (ref: string, path: string): PayloadKey => {
    try {
      return parseKey(secrets.get(ref, path));
    } catch (err) {
      if (err instanceof PayloadCryptoError) throw new GatewayError('STORE_KEY_INVALID', `${path} (secret "${ref}"): ${err.message}`);
      throw err;
    }
  };
  const current = key(encryption.keyRef, 'store.encryption.keyRef');
  const previous = encryption.previousKeyRefs.map((ref, i) => key(ref, `store.encryption.previousKeyRefs[${i}]`));
  return new PayloadCipher(current, encryption.algorithm, previous);
}
