/**
 * `credit-gateway rollback [--yes]`: back to the release installed before
 * this one, restoring the store as it was before this release migrated it.
 * What it does is in rollback.ts.
 */
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { GatewayError } from './errors.js';

export function registerRollbackCommand(program: Command, fail: (err: unknown) => never): void {
  program
    .command('rollback')
    .description('return to the release installed before this one (the `previous` link); the store is restored as it was before this release migrated it; the gateway must be stopped')
    .option('-c, --config <file>', 'configuration file (YAML); default: the installed one, <prefix>/etc/credit-gateway/gateway.yaml')
    .option('--yes', 'do not ask for confirmation')
    .action(async (opts: { config?: string; yes?: boolean }) => {
      try {
        const { loadConfigFile, resolvePath } = await import('../config/load.js');
        const { createLogger } = await import('./logger.js');
        const { installedConfigFile, layoutHome, planRollback, readLayout, rollback } = await import('./rollback.js');
        const layout = readLayout(layoutHome());
        const { config, baseDir } = loadConfigFile(opts.config ?? installedConfigFile(layout.home));
        const dataDir = resolvePath(baseDir, config.gateway.dataDir);
        const plan = planRollback(layout, dataDir);
        const summary = [
          `roll back from ${layout.currentVersion} to ${layout.previousVersion} (${layout.home})`,
          plan.restore
            ? `  ${layout.currentVersion} migrated the store from version ${plan.restore.from} to ${plan.restore.to}: the copy made before, ${plan.restore.file}, is restored; the migrated store is kept aside`
            : '  the store was not migrated by this release: it is kept as it is',
        ].join('\n');
        process.stdout.write(`${summary}\n`);
        if (!opts.yes) {
          if (!process.stdin.isTTY) throw new GatewayError('ROLLBACK_NOT_CONFIRMED', 'not on a terminal, so nobody can confirm');
          if (!(await confirm('go ahead? [y/N] '))) throw new GatewayError('ROLLBACK_NOT_CONFIRMED', 'answered no: nothing changed');
        }
        const outcome = rollback(plan, dataDir, { logger: createLogger({ level: process.env.LOG_LEVEL ?? 'error', destination: 2 }) });
        process.stdout.write([
          `rolled back: ${layout.home}/current now names ${layout.previousVersion}; ${layout.currentVersion} stays installed as previous`,
          ...(outcome.keptAs ? [`  the migrated store is kept as ${outcome.keptAs}; the restored one continues above seq ${outcome.seqAbove}`] : []),
          '  restart the service now: systemctl restart credit-gateway (or start the gateway again)',
          '',
        ].join('\n'));
      } catch (err) {
        fail(err);
      }
    });
}

function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return rl.question(question).then((answer) => /^y(es)?$/i.test(answer.trim()), () => false).finally(() => rl.close());
}
