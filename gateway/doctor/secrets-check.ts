import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import type { GatewayConfig } from '../../config/schema.js';
import { ConfigError } from '../../config/errors.js';
import { secretsFileOf } from '../../config/load.js';
import { Secrets } from '../../config/secrets.js';
import { secretReferences } from '../../config/source-options.js';
import type { Finding } from './contract.js';

/**
 * Secrets present and private: the secrets file exists, only its owner can
 * read it (as Secrets.load demands), and every secret the configuration
 * refers to is defined there or in the environment. Names only, never values.
 *
 * A file others can read fails here, but its values are still read for the
 * checks after this one (the platform, the sources): the harm is done, and
 * the technical contact wants to know what else is wrong before the fix.
 */
export function checkSecrets(config: Readonly<GatewayConfig>, baseDir: string, env: NodeJS.ProcessEnv): { finding: Finding; secrets?: Secrets } {
  const base = { id: 'secrets', title: 'title.secrets' } as const;
  const file = secretsFileOf(config, baseDir);
  let secrets: Secrets;
  let loose: Finding | null = null;
  try {
    secrets = Secrets.load({ file, env });
  } catch (err) {
    if (!(err instanceof ConfigError) || !file) throw err;
    if (err.code !== 'CONFIG_SECRETS_FILE_UNSAFE') {
      const detail = err.problems.map((p) => p.message).join('; ');
      return { finding: { ...base, state: 'fail', message: 'secrets.unreadable', fix: 'secrets.unreadable.fix', params: { file, detail } } };
    }
    const mode = (statSync(file).mode & 0o777).toString(8);
    loose = { ...base, state: 'fail', message: 'secrets.loose', fix: 'secrets.loose.fix', params: { file, mode } };
    secrets = new Secrets(readLoosely(file), env);
  }
  const missing = secretReferences(config).filter((ref) => !secrets.has(ref.name));
  if (loose) return { finding: loose, secrets };
  if (missing.length > 0) {
    return {
      finding: {
        ...base, state: 'fail', message: 'secrets.missing', fix: file ? 'secrets.missing.fix' : 'secrets.missing.envFix',
        params: { file: file ?? '', names: missing.map((m) => `${m.name} (${m.path})`).join(', '), first: missing[0]!.name, env: Secrets.envName(missing[0]!.name) },
      },
      secrets,
    };
  }
  const count = new Set(secretReferences(config).map((r) => r.name)).size;
  return { finding: { ...base, state: 'pass', message: file ? 'secrets.ok' : 'secrets.okEnv', params: { file: file ?? '', count } }, secrets };
}

function readLoosely(file: string): Record<string, string> {
  try {
    const doc = parse(readFileSync(file, 'utf8')) as unknown;
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return {};
    return Object.fromEntries(Object.entries(doc).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}
