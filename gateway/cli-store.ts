/**
 * `credit-gateway store recover`: the way out when start refuses a store
 * that was emptied, deleted, damaged or replaced (STORE_LOST, STORE_DAMAGED,
 * STORE_REPLACED). What it does is in store/data-folder.ts.
 */
import type { Command } from 'commander';
import { loadConfigFile, resolvePath } from '../config/load.js';
import { createLogger } from './logger.js';
import { recoverDataFolder } from './store/data-folder.js';
import { storeCipher } from './store/store-keys.js';

export function registerStoreCommands(program: Command, fail: (err: unknown) => never): void {
  program
    .command('store')
    .description("the gateway's local store: `store recover` after start refused an emptied, damaged or replaced one")
    .command('recover')
    .description('after start refused the store (emptied, deleted, damaged or replaced): keep the file aside (renamed, never deleted), start a new store whose seqs continue above everything sent, and let every job read its source again')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .action((opts: { config: string }) => {
      try {
        const { config, baseDir, secrets } = loadConfigFile(opts.config);
        const dataDir = resolvePath(baseDir, config.gateway.dataDir);
        // The new store is sealed with the configured key, as start would seal it.
        const cipher = storeCipher(config.store.encryption, secrets);
        const outcome = recoverDataFolder(dataDir, { logger: createLogger({ level: process.env.LOG_LEVEL ?? 'error', destination: 2 }), cipher });
        if (!outcome.recovered) {
          process.stdout.write(`the store in ${dataDir} is sound: nothing to recover, nothing changed\n`);
          return;
        }
        process.stdout.write([
          `${outcome.problem}: recovered.`,
          outcome.keptAs ? `  the file found is kept as ${outcome.keptAs} (with its -wal/-shm if any): keep it for support, delete it when no longer needed` : '  there was no store file to keep',
          `  a new store was made; its seqs continue above ${outcome.seqAbove} (and above the platform's last seq, learnt at start)`,
          '  at the next start every job reads its source again from the beginning; the platform keeps the latest version of each record, nothing is lost',
          '  a configuration bundle applied before is not in the new store: the credit center offers it again, or drop it in the bundle folder',
          '',
        ].join('\n'));
      } catch (err) {
        fail(err);
      }
    });
}
