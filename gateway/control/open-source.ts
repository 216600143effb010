/**
 * Opening a database source of the configuration: the connector made from
 * its options (secrets and local paths checked again here), opened, and
 * closed again when open fails.
 */
import type { DatabaseSourceConfig } from '../../config/schema.js';
import { connectorOptions } from '../../config/source-options.js';
import type { Source } from '../../connectors/contract.js';
import { openCreatedSource } from '../../connectors/registry.js';
import type { SourceEntry } from './runtime-entries.js';
import type { RuntimeDeps } from './runtime.js';

export type OpenSourceDeps = Pick<RuntimeDeps, 'baseDir' | 'secrets' | 'bindings' | 'paths'>;

/** Creates and opens a database source; closes it again when open fails. */
export async function openSource(config: DatabaseSourceConfig, index: number, deps: OpenSourceDeps): Promise<Source> {
  return openCreatedSource(connectorOptions(config, index, { baseDir: deps.baseDir, secrets: deps.secrets(), bindings: deps.bindings, paths: deps.paths }));
}

/** The entry's source, opened (open() again on a kept source lets a connector reconnect a dropped session). */
export async function openSourceEntry(entry: SourceEntry, deps: OpenSourceDeps): Promise<Source> {
  if (entry.source) {
    await entry.source.open();
    return entry.source;
  }
  entry.opening ??= (async () => {
    const source = await openSource(entry.config, entry.index, deps);
    entry.source = source;
    return source;
  })().finally(() => {
    entry.opening = null;
  });
  return entry.opening;
}
