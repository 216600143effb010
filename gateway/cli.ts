#!/usr/bin/env node
/**
 * The command line: `credit-gateway start|run|rejections|cursor|store|doctor|catalog|template|config|profile`, the
 * credit center's `keys` and `bundle` tools, and `secrets set`. Output for
 * people on stdout, errors with their code on stderr, exit code 0 only on
 * success and the others from one catalogue (exit-status.ts).
 */
import { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
// Every command's work (the daemon's fastify and drivers, exceljs, the store, the logger, the standards' schemas …) is imported in its action: a command loads what it uses, and --version or --help nothing but commander.
import type { Gateway } from './gateway.js';
import { SOFTWARE_VERSION } from './version.js';
import { describeError } from './errors.js';
import { resolve } from 'node:path';
import { registerStoreCommands } from './cli-store.js';
import { registerRunCommand } from './cli-run.js';
import { registerRejectionsCommand } from './cli-rejections.js';
import { EXIT, exitStatusFor } from './exit-status.js';
import { registerDoctorCommand } from './cli-doctor.js';
import { registerRollbackCommand } from './cli-rollback.js';
import { registerConfigCommands } from './cli-config.js';
import { registerCursorCommands } from './cli-cursor.js';
import { registerControlCommands } from './cli-control.js';
import { ConfigCheckError } from './preflight/problem.js';
import { registerInitCommand } from './cli-init.js';
import { registerProfileCommands } from './cli-profile.js';

/** The error with its code and what to do on stderr; the exit status says its kind (exit-status.ts). */
function fail(err: unknown): never {
  const e = describeError(err);
  if (err instanceof ConfigError || err instanceof ConfigCheckError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`${e.code}: ${e.message}${e.action ? `\n  what to do: ${e.action}` : ''}\n`);
  }
  // A refused configuration is a setup problem whatever layer its first problem's code comes from.
  process.exit(err instanceof ConfigCheckError ? EXIT.SETUP : exitStatusFor(e.code));
}

const program = new Command()
  .name('credit-gateway')
  .description('Front-end exchange gateway (前置交换网关) of the public credit information platform')
  .version(SOFTWARE_VERSION);

// A new department's first command, so first in the help.
registerInitCommand(program, fail);

program
  .command('start')
  .description('run the gateway: jobs on their schedules, delivery, heartbeat, status page')
  .option('-c, --config <file>', 'configuration file (YAML)')
  .action(async (opts: { config?: string }) => {
    if (!opts.config) {
      fail(new ConfigError('CONFIG_FILE_UNREADABLE', [
        { path: '', message: 'no --config FILE given. For the embedded demo (sample database, bundled reference platform) run: npm start' },
      ]));
    }
    let gateway: Gateway;
    try {
      const { createLogger } = await import('./logger.js');
      const logger = createLogger();
      const { loadCheckedConfig } = await import('./preflight/preflight.js');
      const { Gateway } = await import('./gateway.js');
      gateway = await Gateway.start(await loadCheckedConfig(opts.config), { logger, softwareVersion: SOFTWARE_VERSION });
    } catch (err) {
      fail(err);
    }
    process.stderr.write(`credit-gateway ${SOFTWARE_VERSION} running; status page ${gateway.statusUrl}\n`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      gateway.stop().then(() => process.exit(0), (err: unknown) => fail(err));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });


program
  .command('catalog')
  .description('print the information catalog (附件3)')
  .option('-p, --provider <name>', 'only this provider (name, short name or code)')
  .option('--json', 'print JSON')
  .action(async (opts: { provider?: string; json?: boolean }) => {
    try {
      const { formatCatalog, loadCatalog } = await import('./catalog/index.js');
      process.stdout.write(formatCatalog(loadCatalog(), { provider: opts.provider, json: opts.json }) + '\n');
    } catch (err) {
      fail(err);
    }
  });

program
  .command('template')
  .description('write a data template (填报模板) of a catalog category, or of every category of a department, for the drop folder')
  .argument('[category]', 'category code, e.g. P07-002')
  .option('-p, --provider <name>', 'every category of this department instead: its name of today (市场监管局), a 2017 name or a code')
  .option('-d, --dir <folder>', 'with --provider: the folder to write into (default: this folder)')
  .option('-f, --format <format>', 'xlsx (notes, drop-down lists) or csv', 'xlsx')
  .option('-o, --out <file>', 'output file (default: <code>_<name>.<format> in this folder)')
  .option('--force', 'replace an existing file')
  .action(async (code: string | undefined, opts: { provider?: string; dir?: string; format: string; out?: string; force?: boolean }) => {
    try {
      if (opts.format !== 'xlsx' && opts.format !== 'csv') {
        throw new ConfigError('CONFIG_OPTION_INVALID', [{ path: '--format', message: `"${opts.format}" is not one of: xlsx, csv` }]);
      }
      const { templateCategory, writeDepartmentTemplates, writeTemplate, TemplateError } = await import('./templates/index.js');
      const { loadCatalog } = await import('./catalog/index.js');
      const { standardFor } = await import('./standards/index.js');
      if ((code === undefined) === (opts.provider === undefined) || (opts.provider !== undefined && opts.out !== undefined)) {
        throw new TemplateError('TEMPLATE_NOT_ONE_SELECTION');
      }
      if (opts.provider !== undefined) {
        const done = await writeDepartmentTemplates({ catalog: loadCatalog(), department: opts.provider, standardFor, format: opts.format, dir: resolve(opts.dir ?? '.'), overwrite: opts.force });
        process.stdout.write(`${done.department}: wrote ${done.written.length} templates\n${done.written.map((w) => `  ${w.file}${w.notesFile ? `\n  ${w.notesFile}` : ''}`).join('\n')}\n`);
        return;
      }
      const category = templateCategory(loadCatalog(), code!);
      const written = await writeTemplate({ category, standard: standardFor(category), format: opts.format, outFile: opts.out, overwrite: opts.force });
      process.stdout.write(`wrote ${written.file}${written.notesFile ? `\nnotes: ${written.notesFile}` : ''}\n`);
    } catch (err) {
      fail(err);
    }
  });

registerConfigCommands(program, fail);
registerRunCommand(program, fail);
registerRejectionsCommand(program, fail);
registerStoreCommands(program, fail);
registerDoctorCommand(program, fail);
registerRollbackCommand(program, fail);
registerCursorCommands(program, fail);
registerControlCommands(program, fail);
registerProfileCommands(program, fail);

program.parseAsync(process.argv).catch(fail);
