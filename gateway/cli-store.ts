/**
 * `credit-gateway store recover`: the way out when start refuses a store
 * that was emptied, deleted, damaged or replaced (STORE_LOST, STORE_DAMAGED,
 * STORE_REPLACED). What it does is in store/data-folder.ts.
 * `store backup FILE`: a verified copy, safe while the gateway runs
 * (store/backup.ts); `store restore FILE`: puts one back, the gateway
 * stopped (store/restore.ts).
 */
import type { Command } from 'commander';
import { resolve } from 'node:path';

export function registerStoreCommands(program: Command, fail: (err: unknown) => never): void {
  const store = program
    .command('store')
    .description("the gateway's local store: `store backup` and `store restore`, `store recover` after start refused an emptied, damaged or replaced one");

  store
    .command('backup')
    .description('copy the store to FILE (0600, verified with quick_check), safe while the gateway runs; FILE.json beside it records what a restore needs')
    .argument('<file>', 'the backup file to write (replaced if it exists)')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .action(async (file: string, opts: { config: string }) => {
      try {
        const { loadConfigFile, resolvePath } = await import('../config/load.js');
        const { backupInfoFile, backupStore } = await import('./store/backup.js');
        const { dataFolderFiles } = await import('./store/data-folder.js');
        const { config, baseDir } = loadConfigFile(opts.config);
        const files = dataFolderFiles(resolvePath(baseDir, config.gateway.dataDir));
        const target = resolve(file);
        const info = await backupStore(files.store, target, { markerFile: files.marker });
        process.stdout.write([
          `backed up ${files.store} to ${target} (checked: quick_check ok)`,
          `  store ${info.storeId ?? '(no id)'}, version ${info.storeVersion}, seqs up to ${info.highWater}; restore information in ${backupInfoFile(target)}`,
          config.store.encryption ? '  values stay sealed with the store encryption key: keep that key, the backup cannot be read without it' : '  the copy holds the records in the clear, as the store does: keep it as private as the data folder',
          '  to restore: stop the gateway, then `credit-gateway store restore FILE --config FILE`',
          '',
        ].join('\n'));
      } catch (err) {
        fail(err);
      }
    });

  store
    .command('restore')
    .description('put a backup made by `store backup` back (gateway stopped): the store found is kept aside, renamed; seqs continue above every seq sent')
    .argument('<file>', 'the backup file')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .action(async (file: string, opts: { config: string }) => {
      try {
        const { loadConfigFile, resolvePath } = await import('../config/load.js');
        const { createLogger } = await import('./logger.js');
        const { restoreBackup } = await import('./store/restore.js');
        const { config, baseDir } = loadConfigFile(opts.config);
        const dataDir = resolvePath(baseDir, config.gateway.dataDir);
        const outcome = restoreBackup(dataDir, resolve(file), { logger: createLogger({ level: process.env.LOG_LEVEL ?? 'error', destination: 2 }) });
        process.stdout.write([
          `restored ${resolve(file)} (made ${outcome.backup.madeAt || 'at an unknown time'}) into ${dataDir}`,
          outcome.keptAs ? `  the store found is kept as ${outcome.keptAs}: delete it when no longer needed` : '  there was no store to keep aside',
          `  its seqs continue above ${outcome.seqAbove}; at the next start each job reads what changed since the backup again (the platform keeps the latest version)`,
          '  start the gateway again (systemctl start credit-gateway)',
          '',
        ].join('\n'));
      } catch (err) {
        fail(err);
      }
    });

  store
    .command('recover')
    .description('after start refused the store (emptied, deleted, damaged or replaced): keep the file aside (renamed, never deleted), start a new store whose seqs continue above everything sent, and let every job read its source again')
    .requiredOption('-c, --config <file>', 'configuration file (YAML)')
    .action(async (opts: { config: string }) => {
      try {
        const { loadConfigFile, resolvePath } = await import('../config/load.js');
        const { createLogger } = await import('./logger.js');
        const { recoverDataFolder } = await import('./store/data-folder.js');
        const { storeCipher } = await import('./store/store-keys.js');
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
