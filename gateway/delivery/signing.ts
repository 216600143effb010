import { createHash, createHmac } from 'node:crypto';

/**
 * Request signing (spec section 1). Pure: the caller supplies the timestamp
 * and nonce, so the worked example can be reproduced byte for byte.
 */

export type SigningAlgorithm = 'sha256' | 'sm3';

export interface SignInput {
  method: string;
  /** Request path including the base path, without query string. */
  path: string;
  /** The body exactly as sent, i.e. after compression. */
  body: Buffer;
  secret: string;
  algorithm: SigningAlgorithm;
  /** Unix time in milliseconds. */
  timestamp: number;
  /** 32 lowercase hex characters, fresh for every request. */
  nonce: string;
  gatewayId: string;
}

export interface SignedHeaders {
  'X-Gateway-Id': string;
  'X-Timestamp': string;
  'X-Nonce': string;
  'X-Content-Digest': string;
  Authorization: string;
}

const SCHEME: Record<SigningAlgorithm, string> = { sha256: 'HMAC-SHA256', sm3: 'HMAC-SM3' };
const NONCE = /^[0-9a-f]{32}$/;

/** `sha256=<hex>` or `sm3=<hex>` of the body bytes. */
export function contentDigest(body: Buffer, algorithm: SigningAlgorithm): string {
  return `${algorithm}=${createHash(algorithm).update(body).digest('hex')}`;
}

/** The five lines joined by \n, no trailing newline. */
export function stringToSign(method: string, path: string, timestamp: string, nonce: string, digest: string): string {
  return [method.toUpperCase(), path, timestamp, nonce, digest].join('\n');
}

export function signRequest(input: SignInput): SignedHeaders {
  // A malformed nonce or path would only surface as a 401 from the platform,
  // far from its cause; refuse it here instead.
  if (!NONCE.test(input.nonce)) throw new TypeError('nonce must be 32 lowercase hex characters');
  if (input.path.includes('?')) throw new TypeError('the signed path carries no query string');
  if (!Number.isSafeInteger(input.timestamp) || input.timestamp < 0) throw new TypeError('timestamp must be Unix milliseconds');
  const timestamp = String(input.timestamp);
  const digest = contentDigest(input.body, input.algorithm);
  const signature = createHmac(input.algorithm, Buffer.from(input.secret, 'utf8'))
    .update(stringToSign(input.method, input.path, timestamp, input.nonce, digest), 'utf8')
    .digest('hex');
  return {
    'X-Gateway-Id': input.gatewayId,
    'X-Timestamp': timestamp,
    'X-Nonce': input.nonce,
    'X-Content-Digest': digest,
    Authorization: `${SCHEME[input.algorithm]} ${signature}`,
  };
}
