/**
 * The store of a configuration, opened for the commands that read it
 * (`cursor show|reset`, `rejections`) beside a running gateway.
 */
import { existsSync } from 'node:fs';
import { loadConfigFile, resolvePath } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import type { GatewayConfig } from '../config/schema.js';
import { createLogger } from './logger.js';
import { dataFolderFiles, openDataFolder } from './store/data-folder.js';
import { storeCipher } from './store/store-keys.js';
import type { Store } from './store/store.js';

/**
 * Opens the gateway's store only: no job, source, delivery or status page
 * starts, and the folder's lock is not taken, so this works beside a running
 * gateway (cursor reset's one write is serialised by SQLite itself). A store
 * the gateway would refuse is refused here too.
 */
export function openStoreOf(file: string): { config: Readonly<GatewayConfig>; store: Store; statusUrl: string | null } {
  const { config, baseDir, secrets } = loadConfigFile(file);
  const dataDir = resolvePath(baseDir, config.gateway.dataDir);
  const storeFile = dataFolderFiles(dataDir).store;
  if (!existsSync(storeFile)) {
    throw new ConfigError('CONFIG_REFERENCE', [{ path: 'gateway.dataDir', message: `no store at ${storeFile}: the gateway has not run with this configuration yet` }]);
  }
  const cipher = storeCipher(config.store.encryption, secrets);
  const { store } = openDataFolder(dataDir, { logger: createLogger({ level: 'silent' }), lockFor: null, cipher });
  return { config, store, statusUrl: statusUrlOf(config) };
}

/** Where the configured status page answers on this machine; null when it is not served. */
export function statusUrlOf(config: Readonly<GatewayConfig>): string | null {
  const { host, port, tls } = config.status;
  return port === 0 ? null : `${tls ? 'https' : 'http'}://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${port}/`;
}
