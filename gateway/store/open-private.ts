/**
 * How the gateway and its CLI open the store of a configuration: private
 * files checked before and after (private-files.ts), the keys of
 * `store.encryption` resolved (store-keys.ts). Store.open itself stays free
 * of configuration, for tests and tools that open a file directly.
 */
import type { Logger } from 'pino';
import type { GatewayConfig } from '../../config/schema.js';
import type { Secrets } from '../../config/secrets.js';
import { checkPrivateFiles, preparePrivateFolder, storeFiles } from './private-files.js';
import { storeCipher } from './store-keys.js';
import { Store } from './store.js';

export const STORE_FILE_NAME = 'gateway.sqlite';

export function openPrivateStore(options: {
  dataDir: string;
  file: string;
  encryption: GatewayConfig['store']['encryption'];
  secrets: Pick<Secrets, 'get'>;
  logger?: Logger;
}): Store {
  // Keys first: a wrong or missing key stops the start before anything is created.
  const cipher = storeCipher(options.encryption, options.secrets);
  preparePrivateFolder(options.dataDir);
  checkPrivateFiles(storeFiles(options.file));
  const store = Store.open({ file: options.file, logger: options.logger, cipher });
  try {
    // SQLite made -wal and -shm meanwhile, with the database file's mode: confirmed, not assumed.
    checkPrivateFiles(storeFiles(options.file));
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}
