/**
 * A configured source as its connector is built from it: relative paths
 * resolved against the configuration's folder, the password reference
 * replaced by the secret itself. The secret is read here, in the composition
 * root's call, and nowhere else.
 */
import type { SourceOptions } from '../connectors/options.js';
import { resolvePath } from './load.js';
import type { DatabaseSourceConfig, SourceConfig } from './schema.js';
import { ConfigError } from './errors.js';
import { Secrets } from './secrets.js';
import { describeRefusal, type SecretBindings } from './secret-bindings.js';
import { describePathRefusal, type LocalPaths } from './local-paths.js';

/**
 * The binding is checked here too, not only when a bundle is verified: this
 * is the one place a source's password is read, so no path can hand a
 * secret to a connector bound for a host the local configuration does not
 * allow (ConfigError CONFIG_SECRET_NOT_ALLOWED, before anything connects).
 */
export function connectorOptions(
  source: DatabaseSourceConfig,
  index: number,
  context: { baseDir: string; secrets: Secrets; bindings: SecretBindings; paths: LocalPaths },
): SourceOptions {
  requireAllowedPath(source, index, context.paths);
  if (source.kind === 'sqlite') return { ...source, file: resolvePath(context.baseDir, source.file) };
  const { passwordRef, ...rest } = source;
  const path = `sources[${index}].passwordRef`;
  const refusal = context.bindings.refusal(passwordRef, source);
  if (refusal) throw new ConfigError('CONFIG_SECRET_NOT_ALLOWED', [{ path, message: describeRefusal(passwordRef, refusal) }]);
  const password = context.secrets.get(passwordRef, path);
  if (rest.kind === 'oracle') return { ...rest, host: rest.host ?? '', database: rest.database ?? '', password };
  return { ...rest, password };
}

/**
 * The local path a source names (a SQLite file, a drop folder, an Oracle
 * client folder) checked where it is opened, not only when a bundle is
 * verified: a link changed since is caught here, before anything is read.
 */
export function requireAllowedPath(source: SourceConfig, index: number, paths: LocalPaths): void {
  const refusal = paths.refusal(source);
  if (refusal) throw new ConfigError('CONFIG_PATH_NOT_ALLOWED', [{ path: `sources[${index}].${refusal.member}`, message: describePathRefusal(source.name, refusal) }]);
}

/** What secretReferences reads of a configuration (a bundle's sources alone have no status users). */
export interface SecretReferring {
  platform: { secretRef: string };
  sources: readonly SourceConfig[];
  status?: { users: readonly { secretRef: string }[] };
  store?: { encryption?: { keyRef: string; previousKeyRefs: readonly string[] } };
}

/**
 * Every secret the configuration refers to, with the path that refers to it,
 * so all can be checked at once: a missing status password is reported at
 * start beside a missing database password, not alone when the page is built.
 */
export function secretReferences(config: SecretReferring): { name: string; path: string }[] {
  return [
    { name: config.platform.secretRef, path: 'platform.secretRef' },
    ...config.sources.flatMap((s, i) => (s.kind === 'sqlite' || s.kind === 'folder' ? [] : [{ name: s.passwordRef, path: `sources[${i}].passwordRef` }])),
    ...(config.status?.users ?? []).map((u, i) => ({ name: u.secretRef, path: `status.users[${i}].secretRef` })),
    ...(config.store?.encryption
      ? [
          { name: config.store.encryption.keyRef, path: 'store.encryption.keyRef' },
          ...config.store.encryption.previousKeyRefs.map((name, i) => ({ name, path: `store.encryption.previousKeyRefs[${i}]` })),
        ]
      : []),
  ];
}

/** Throws one ConfigError naming every referenced secret that is not defined. */
export function requireSecrets(config: SecretReferring, secrets: Secrets): void {
  const missing = secretReferences(config).filter((ref) => !secrets.has(ref.name));
  if (missing.length === 0) return;
  throw new ConfigError('CONFIG_SECRET_MISSING', missing.map((ref) => ({
    path: ref.path,
    message: `secret "${ref.name}" is not defined: add it to the secrets file or set ${Secrets.envName(ref.name)}`,
  })));
}
