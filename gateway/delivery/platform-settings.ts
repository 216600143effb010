import { readFileSync } from 'node:fs';
import { GatewayError } from '../errors.js';
import { platformEndpoints, type PlatformEndpoints } from './platform-url.js';

/** The certificates a client presents and trusts, read from their files (PEM). */
export interface PlatformPems {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export interface PlatformSettingsInput {
  url: string;
  gatewayId: string;
  secret: string;
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  /** Already read (the delivery thread gets them from the thread that checked the settings). */
  pems?: PlatformPems;
}

/**
 * The platform settings checked, and the certificate files read, where the
 * client is made: a wrong URL, an empty secret or an unreadable file is a
 * configuration error (DELIVERY_INVALID_SETTINGS, DELIVERY_INSECURE_URL)
 * thrown at once, never a failed request later.
 */
export function platformSettings(input: PlatformSettingsInput): { endpoints: PlatformEndpoints; pems: PlatformPems } {
  const endpoints = platformEndpoints(input.url, input.gatewayId);
  if (!input.secret) throw new GatewayError('DELIVERY_INVALID_SETTINGS', 'the platform secret is empty');
  if (input.pems) return { endpoints, pems: input.pems };
  if (Boolean(input.clientCertFile) !== Boolean(input.clientKeyFile)) {
    throw new GatewayError('DELIVERY_INVALID_SETTINGS', 'a client certificate needs both clientCertFile and clientKeyFile');
  }
  const pems: PlatformPems = {};
  if (input.caFile) pems.ca = readPem(input.caFile, 'caFile');
  if (input.clientCertFile) pems.cert = readPem(input.clientCertFile, 'clientCertFile');
  if (input.clientKeyFile) pems.key = readPem(input.clientKeyFile, 'clientKeyFile');
  return { endpoints, pems };
}

function readPem(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new GatewayError('DELIVERY_INVALID_SETTINGS', `cannot read platform.${option} ${file}`, { cause: err });
  }
}
