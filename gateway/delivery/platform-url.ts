import { isIP } from 'node:net';
import { GatewayError } from '../errors.js';

/**
 * Where the platform lives and the paths that get signed. Every path is the
 * base URL's own path plus the endpoint (spec: "paths are relative to the
 * configured base URL"), e.g. /exchange/v1/batches.
 */

export interface PlatformEndpoints {
  origin: string;
  batchesPath: string;
  heartbeatPath: string;
}

const GATEWAY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function platformEndpoints(baseUrl: string, gatewayId: string): PlatformEndpoints {
  if (!GATEWAY_ID.test(gatewayId)) {
    throw new GatewayError('DELIVERY_INVALID_SETTINGS', `gateway id ${JSON.stringify(gatewayId)} does not match [A-Za-z0-9_-]{1,64}`);
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new GatewayError('DELIVERY_INVALID_SETTINGS', `platform url ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new GatewayError('DELIVERY_INVALID_SETTINGS', 'platform url must not carry a query, fragment or credentials');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    // Records carry names and identity numbers; on the extranet they travel only encrypted.
    throw new GatewayError('DELIVERY_INSECURE_URL', `refusing ${url.origin}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GatewayError('DELIVERY_INVALID_SETTINGS', `platform url must be https://, not ${url.protocol}`);
  }
  const base = url.pathname.replace(/\/+$/, '');
  return {
    origin: url.origin,
    batchesPath: `${base}/v1/batches`,
    heartbeatPath: `${base}/v1/gateways/${gatewayId}/heartbeat`,
  };
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(host);
  return false;
}
