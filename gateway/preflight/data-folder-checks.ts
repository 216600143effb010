/**
 * The data folder, where it already exists: private to the service user
 * (folder 700, store files 600), as the store's own refusal at start
 * demands (store/private-files.ts). A folder not there yet is made private
 * by start itself.
 */
import { existsSync } from 'node:fs';
import type { GatewayConfig } from '../../config/schema.js';
import { resolvePath } from '../../config/load.js';
import { dataFolderFiles } from '../store/data-folder.js';
import { checkPrivateFiles, preparePrivateFolder, storeFiles } from '../store/private-files.js';
import type { FoundProblem } from './problem.js';

export function dataFolderProblems(config: Readonly<GatewayConfig>, baseDir: string, usable: (path: string) => boolean): FoundProblem[] {
  if (!usable('gateway.dataDir')) return [];
  const dir = resolvePath(baseDir, config.gateway.dataDir);
  if (!existsSync(dir)) return [];
  try {
    // Existing: nothing is created, only the mode is read.
    preparePrivateFolder(dir);
    checkPrivateFiles(storeFiles(dataFolderFiles(dir).store));
    return [];
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code !== 'STORE_NOT_PRIVATE') throw err;
    return [{ path: 'gateway.dataDir', code: e.code, message: e.message ?? '' }];
  }
}
