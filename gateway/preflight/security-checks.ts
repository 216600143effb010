/**
 * The security refusals start makes, found before it: the status page's
 * logins and transport (the status layer's own functions, so the two cannot
 * drift), credentials written into the platform URL, the platform settings
 * the client refuses, the credit center's public key, the store's keys.
 */
import { readFileSync } from 'node:fs';
import type { GatewayConfig } from '../../config/schema.js';
import { resolvePath } from '../../config/load.js';
import type { Secrets } from '../../config/secrets.js';
import { platformEndpoints } from '../delivery/platform-url.js';
import { publicKeyFrom } from '../control/keys.js';
import { parseKey } from '../store/payload-crypto.js';
import { isLoopback, statusSecurityProblems } from '../status/security/options.js';
import { statusTransport } from '../status/security/tls.js';
import { StatusSecurityError, type StatusSecurityCode } from '../status/security/errors.js';
import type { FoundProblem } from './problem.js';

/** The member a TLS refusal is about. */
function tlsMember(code: StatusSecurityCode): string {
  if (code === 'STATUS_TLS_REQUIRED') return 'status.tls';
  if (code.startsWith('STATUS_TLS_KEY')) return 'status.tls.keyFile';
  if (code.startsWith('STATUS_TLS_CA')) return 'status.tls.caFile';
  return 'status.tls.certFile';
}

export function statusProblems(config: Readonly<GatewayConfig>, baseDir: string, secrets: Secrets, usable: (path: string) => boolean): FoundProblem[] {
  if (!usable('status')) return [];
  const status = config.status;
  const exposed = !isLoopback(status.host);
  const problems: FoundProblem[] = statusSecurityProblems(status, secrets, exposed).map((p) => ({ path: p.path, code: p.code, message: p.detail }));
  const tls = status.tls && {
    certFile: resolvePath(baseDir, status.tls.certFile),
    keyFile: resolvePath(baseDir, status.tls.keyFile),
    ...(status.tls.caFile ? { caFile: resolvePath(baseDir, status.tls.caFile) } : {}),
  };
  try {
    statusTransport({ tls, allowPlainHttp: status.allowPlainHttp }, exposed);
  } catch (err) {
    if (!(err instanceof StatusSecurityError)) throw err;
    problems.push({ path: tlsMember(err.code), code: err.code, message: err.message });
  }
  return problems;
}

export function platformProblems(config: Readonly<GatewayConfig>, usable: (path: string) => boolean): FoundProblem[] {
  if (!usable('platform.url') || !usable('gateway.id')) return [];
  let url: URL | null = null;
  try {
    url = new URL(config.platform.url);
  } catch {
    // platformEndpoints says so below.
  }
  if (url && (url.username || url.password)) {
    // The URL is not quoted: it holds the very password that should not be there.
    return [{ path: 'platform.url', code: 'CONFIG_PLATFORM_URL_CREDENTIALS', message: `platform.url carries ${url.password ? 'a user name and password' : 'a user name'} (${url.protocol}//…@${url.host}): credentials in a URL end up in logs; the platform secret belongs in the secrets file, named by platform.secretRef` }];
  }
  try {
    platformEndpoints(config.platform.url, config.gateway.id);
    return [];
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return [{ path: 'platform.url', code: e.code ?? 'DELIVERY_INVALID_SETTINGS', message: e.message ?? String(err) }];
  }
}

export function publicKeyProblems(config: Readonly<GatewayConfig>, baseDir: string, usable: (path: string) => boolean): FoundProblem[] {
  const file = config.control.publicKeyFile;
  if (!file || !usable('control.publicKeyFile')) return [];
  const path = resolvePath(baseDir, file);
  try {
    publicKeyFrom(readFileSync(path, 'utf8'));
    return [];
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return [{ path: 'control.publicKeyFile', code: 'CONFIG_PUBLIC_KEY_UNREADABLE', message: `${path}: ${why}; every configuration bundle would be refused` }];
  }
}

/** Each store key that is defined but not a 32-byte key (an undefined one is the secrets' check's). */
export function storeKeyProblems(config: Readonly<GatewayConfig>, secrets: Secrets, usable: (path: string) => boolean): FoundProblem[] {
  const encryption = config.store.encryption;
  if (!encryption || !usable('store.encryption')) return [];
  const refs = [
    { ref: encryption.keyRef, path: 'store.encryption.keyRef' },
    ...encryption.previousKeyRefs.map((ref, i) => ({ ref, path: `store.encryption.previousKeyRefs[${i}]` })),
  ];
  return refs.flatMap(({ ref, path }) => {
    if (!secrets.has(ref)) return [];
    try {
      parseKey(secrets.get(ref, path));
      return [];
    } catch (err) {
      return [{ path, code: 'STORE_KEY_INVALID', message: `${path} (secret "${ref}"): ${(err as Error).message}` }];
    }
  });
}
