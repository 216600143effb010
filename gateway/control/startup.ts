/**
 * What the control plane starts with: the credit center's public key, and
 * the configuration to run first (the last applied bundle, verified again,
 * else the local file's sources and jobs). Nothing new is recorded either
 * way.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { resolvePath } from '../../config/load.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { StoredBundle } from './contract.js';
import { verifyStoredBundle } from './controller.js';
import type { RunConfig } from './runtime-diff.js';

/** The credit center's public key, or null (logged) when none is configured or it cannot be read: every bundle is then refused. */
export function readPublicKey(control: GatewayConfig['control'], baseDir: string, logger: Logger): string | null {
  const file = control.publicKeyFile;
  if (!file) return null;
  const path = resolvePath(baseDir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    logger.error({ file: path, err }, 'the credit center public key (control.publicKeyFile) cannot be read: every configuration bundle will be refused');
    return null;
  }
}

/**
 * The last applied bundle, verified again, when there is one; otherwise,
 * or when it no longer verifies (the key changed) or cannot be built here,
 * the local file's sources and jobs. `issuedAt`: the bundle's, null for
 * the local file.
 */
export function initialRuntime<R>(input: {
  stored: StoredBundle | null;
  local: RunConfig;
  verify: Parameters<typeof verifyStoredBundle>[1];
  /** Throws when the configuration cannot run here (Runtime's constructor). */
  build: (config: RunConfig, version: number) => R;
  logger: Logger;
}): { runtime: R; issuedAt: string | null } {
  const { stored, logger } = input;
  if (stored) {
    const bundle = verifyStoredBundle(stored, input.verify, logger);
    if (bundle) {
      try {
        const runtime = input.build({ sources: bundle.sources, jobs: bundle.jobs, profiles: bundle.profiles ?? [] }, bundle.version);
        logger.info({ version: bundle.version }, 'running the configuration bundle applied last');
        return { runtime, issuedAt: bundle.issuedAt };
      } catch (err) {
        logger.error({ err, version: bundle.version }, 'the stored bundle cannot run here: running the local configuration file');
      }
    }
  }
  return { runtime: input.build(input.local, 0), issuedAt: null };
}
