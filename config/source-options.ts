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

export function connectorOptions(source: DatabaseSourceConfig, index: number, context: { baseDir: string; secrets: Secrets }): SourceOptions {
  if (source.kind === 'sqlite') return { ...source, file: resolvePath(context.baseDir, source.file) };
  const { passwordRef, ...rest } = source;
  const password = context.secrets.get(passwordRef, `sources[${index}].passwordRef`);
  if (rest.kind === 'oracle') return { ...rest, host: rest.host ?? '', database: rest.database ?? '', password };
  return { ...rest, password };
}

/** Every secret the configuration refers to, with the path that refers to it, so all can be checked at once. */
export function secretReferences(config: { platform: { secretRef: string }; sources: readonly SourceConfig[] }): { name: string; path: string }[] {
  return [
    { name: config.platform.secretRef, path: 'platform.secretRef' },
    ...config.sources.flatMap((s, i) => (s.kind === 'sqlite' || s.kind === 'folder' ? [] : [{ name: s.passwordRef, path: `sources[${i}].passwordRef` }])),
  ];
}

/** Throws one ConfigError naming every referenced secret that is not defined. */
export function requireSecrets(config: Parameters<typeof secretReferences>[0], secrets: Secrets): void {
  const missing = secretReferences(config).filter((ref) => !secrets.has(ref.name));
  if (missing.length === 0) return;
  throw new ConfigError('CONFIG_SECRET_MISSING', missing.map((ref) => ({
    path: ref.path,
    message: `secret "${ref.name}" is not defined: add it to the secrets file or set ${Secrets.envName(ref.name)}`,
  })));
}
