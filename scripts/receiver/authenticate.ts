import type { IncomingHttpHeaders } from 'node:http';
import type { NonceWindow } from './nonce-window.js';
import { algorithmOfDigestPrefix, algorithmOfScheme, hexEquals, signature } from './signing.js';
import type { Algorithm } from './types.js';

export interface AuthContext {
  gateways: Record<string, string>;
  algorithms: readonly Algorithm[];
  clockSkewMs: number;
  nonces: NonceWindow;
  now: () => number;
}

export interface AuthFailure {
  ok: false;
  code: string;
  message: string;
  gatewayId: string | null;
}

export interface Authenticated {
  ok: true;
  gatewayId: string;
  algorithm: Algorithm;
  /** The X-Content-Digest value the signature covers; the body must still match it. */
  digest: string;
}

const REQUIRED = ['x-gateway-id', 'x-timestamp', 'x-nonce', 'x-content-digest', 'authorization'] as const;
const GATEWAY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const NONCE = /^[0-9a-f]{32}$/;
const TIMESTAMP = /^[0-9]{1,15}$/;
const AUTHORIZATION = /^(\S+) ([0-9a-fA-F]{64})$/;
const DIGEST = /^([a-z0-9]+)=([0-9a-fA-F]{64})$/;

function fail(code: string, message: string, gatewayId: string | null = null): AuthFailure {
  return { ok: false, code, message, gatewayId };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Everything of spec section 1 that the headers alone decide. The signature
 * covers the digest header rather than the body, so it can be checked before
 * the body arrives; the body is then held to the signed digest by `checkDigest`.
 * The nonce is spent only once the signature holds, so forged requests cannot
 * burn a gateway's nonces.
 */
export function authenticateHeaders(
  ctx: AuthContext,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
): Authenticated | AuthFailure {
  for (const name of REQUIRED) {
    if (!header(headers, name)) return fail('AUTH_HEADER_MISSING', `missing header ${name}`);
  }
  const gatewayId = header(headers, 'x-gateway-id')!;
  if (!GATEWAY_ID.test(gatewayId) || !Object.hasOwn(ctx.gateways, gatewayId)) {
    return fail('AUTH_UNKNOWN_GATEWAY', `unknown gateway ${JSON.stringify(gatewayId.slice(0, 64))}`);
  }
  const known = (code: string, message: string) => fail(code, message, gatewayId);

  const auth = AUTHORIZATION.exec(header(headers, 'authorization')!);
  if (!auth) return known('AUTH_HEADER_INVALID', 'Authorization must be "<scheme> <hex>"');
  const algorithm = algorithmOfScheme(auth[1]!);
  if (!algorithm || !ctx.algorithms.includes(algorithm)) {
    return known('AUTH_ALGORITHM', `scheme ${auth[1]} is not accepted`);
  }
  const digest = header(headers, 'x-content-digest')!;
  const digestParts = DIGEST.exec(digest);
  if (!digestParts) return known('AUTH_HEADER_INVALID', 'X-Content-Digest must be "<algorithm>=<hex>"');
  if (algorithmOfDigestPrefix(digestParts[1]!) !== algorithm) {
    return known('AUTH_ALGORITHM', `digest ${digestParts[1]} does not pair with ${auth[1]}`);
  }
  const nonce = header(headers, 'x-nonce')!;
  if (!NONCE.test(nonce)) return known('AUTH_HEADER_INVALID', 'X-Nonce must be 32 lowercase hex characters');

  const timestamp = header(headers, 'x-timestamp')!;
  if (!TIMESTAMP.test(timestamp)) return known('AUTH_TIMESTAMP', 'X-Timestamp must be decimal milliseconds');
  const now = ctx.now();
  const skew = Number(timestamp) - now;
  if (Math.abs(skew) > ctx.clockSkewMs) {
    return known('AUTH_TIMESTAMP', `timestamp is ${Math.round(skew / 1000)} s away from the platform clock`);
  }

  const expected = signature(algorithm, ctx.gateways[gatewayId]!, { method, path, timestamp, nonce, digest });
  if (!hexEquals(expected, auth[2]!)) return known('AUTH_SIGNATURE', 'signature does not match');

  if (!ctx.nonces.use(gatewayId, nonce, Number(timestamp), now)) {
    return known('AUTH_NONCE_REPLAY', 'nonce already used inside the window');
  }
  return { ok: true, gatewayId, algorithm, digest };
}

/** The body as received (still compressed) must hash to the signed digest. */
export function checkDigest(auth: Authenticated, bodyDigest: string): AuthFailure | null {
  return hexEquals(auth.digest, bodyDigest)
    ? null
    : fail('AUTH_DIGEST', 'X-Content-Digest does not match the body', auth.gatewayId);
}
