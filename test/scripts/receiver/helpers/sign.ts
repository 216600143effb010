/**
 * A signer written for the tests straight from spec section 1, sharing code
 * with neither the gateway nor the receiver: if the receiver misread the spec,
 * these tests disagree with it instead of agreeing by construction.
 */
import { createHash, createHmac } from 'node:crypto';

export type Alg = 'sha256' | 'sm3';

export const SCHEME: Record<Alg, string> = { sha256: 'HMAC-SHA256', sm3: 'HMAC-SM3' };

export function digestOf(alg: Alg, body: Buffer | string): string {
  return `${alg}=${createHash(alg).update(body).digest('hex')}`;
}

export function sign(alg: Alg, secret: string, method: string, path: string, timestamp: string, nonce: string, digest: string): string {
  const text = `${method}\n${path}\n${timestamp}\n${nonce}\n${digest}`;
  return `${SCHEME[alg]} ${createHmac(alg, secret).update(text).digest('hex')}`;
}
