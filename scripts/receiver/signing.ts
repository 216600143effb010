import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Algorithm } from './types.js';

/** The pairs spec section 1 allows: digest prefix and Authorization scheme per algorithm. */
export const DIGEST_PREFIX: Record<Algorithm, string> = { sha256: 'sha256', sm3: 'sm3' };
export const AUTH_SCHEME: Record<Algorithm, string> = { sha256: 'HMAC-SHA256', sm3: 'HMAC-SM3' };

export function algorithmOfScheme(scheme: string): Algorithm | undefined {
  return (Object.keys(AUTH_SCHEME) as Algorithm[]).find((a) => AUTH_SCHEME[a] === scheme);
}

export function algorithmOfDigestPrefix(prefix: string): Algorithm | undefined {
  return (Object.keys(DIGEST_PREFIX) as Algorithm[]).find((a) => DIGEST_PREFIX[a] === prefix);
}

/** `sha256=<hex>` of the body bytes exactly as they travelled (after compression). */
export function contentDigest(algorithm: Algorithm, body: Uint8Array | string): string {
  return `${DIGEST_PREFIX[algorithm]}=${createHash(algorithm).update(body).digest('hex')}`;
}

export interface SignedParts {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  digest: string;
}

/** Five lines joined by `\n`, no trailing newline; the path is taken as sent, without query. */
export function stringToSign(p: SignedParts): string {
  return [p.method.toUpperCase(), p.path, p.timestamp, p.nonce, p.digest].join('\n');
}

export function signature(algorithm: Algorithm, secret: string, parts: SignedParts): string {
  return createHmac(algorithm, Buffer.from(secret, 'utf8')).update(stringToSign(parts), 'utf8').digest('hex');
}

export function authorizationHeader(algorithm: Algorithm, secret: string, parts: SignedParts): string {
  return `${AUTH_SCHEME[algorithm]} ${signature(algorithm, secret, parts)}`;
}

/** Constant-time comparison of two hex strings; hex case is not significant. */
export function hexEquals(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
