import type { GatewayConfig, SourceConfig } from '../../config/schema.js';
import { contentProblems, parseBundleBytes } from '../control/verify.js';

/**
 * The sources the gateway runs: those of the configuration bundle in effect
 * when the store holds one (read for its sources only; the gateway verifies
 * its signature again when it starts), else the local file's.
 */
export function sourcesInEffect(config: Readonly<GatewayConfig>, bundle: { version: number; bytes: Buffer | null }): { sources: readonly SourceConfig[]; bundleVersion: number } {
  if (bundle.bytes) {
    const parsed = parseBundleBytes(bundle.bytes);
    const checked = 'doc' in parsed ? contentProblems(parsed.doc).bundle : null;
    if (checked) return { sources: checked.sources, bundleVersion: bundle.version };
  }
  return { sources: config.sources, bundleVersion: 0 };
}
