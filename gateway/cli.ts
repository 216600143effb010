#!/usr/bin/env node
/**
 * The command line: `credit-gateway start|run|catalog|config`. Output for
 * people on stdout, errors with their code on stderr, exit code 0 only on
 * success.
 */
import { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import { ConfigError } from '../config/errors.js';
import { formatCatalog, loadCatalog } from './catalog/index.js';
import { standardFor } from './standards/index.js';
import { templateCategory, writeTemplate } from './templates/index.js';
import { Gateway } from './gateway.js';
import { createLogger } from './logger.js';
import { SOFTWARE_VERSION } from './version.js';
import { describeError } from './errors.js';

function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    const e = describeError(err);
    process.stderr.write(`${e.code}: ${e.message}${e.action ? `\n  what to do: ${e.action}` : ''}\n`);
  }
  process.exit(1);
}

const program = new Command()
  .name('credit-gateway')
  .description('Front-end exchange gateway (前置交换网关) of the public credit information platform')
  .version(SOFTWARE_VERSION);

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
    const logger = createLogger();
    let gateway: Gateway;
    try {
      gateway = await Gateway.start(loadConfigFile(opts.config), { logger, softwareVersion: SOFTWARE_VERSION });
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
  .command('run')
  .description('run one job once, from its cursor, then deliver what it queued')
  .argument('<job>', 'job name')
  .requiredOption('-c, --config <file>', 'configuration file (YAML)')
  .option('--no-deliver', 'only read and queue; leave delivery to the running gateway')
  .action(async (job: string, opts: { config: string; deliver: boolean }) => {
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: 2 });
    let gateway: Gateway | null = null;
    try {
      gateway = await Gateway.start(loadConfigFile(opts.config), {
        logger, softwareVersion: SOFTWARE_VERSION, schedule: false, serveStatus: false, deliver: opts.deliver,
      });
      const summary = await gateway.runJob(job);
      process.stdout.write(`${job}: read ${summary.rowsRead} rows in ${summary.pages} pages, queued ${summary.queued}, unchanged ${summary.unchanged}, rejected ${summary.rejected}\n`);
      if (opts.deliver) {
        const left = await gateway.flush();
        process.stdout.write(left.pending === 0 ? 'delivered: queue empty\n' : `${left.pending} records still queued: ${left.reason ?? 'see the status page'}\n`);
      }
      await gateway.stop();
    } catch (err) {
      await gateway?.stop().catch(() => undefined);
      fail(err);
    }
  });

program
  .command('catalog')
  .description('print the information catalog (附件3)')
  .option('-p, --provider <name>', 'only this provider (name, short name or code)')
  .option('--json', 'print JSON')
  .action((opts: { provider?: string; json?: boolean }) => {
    try {
      process.stdout.write(formatCatalog(loadCatalog(), { provider: opts.provider, json: opts.json }) + '\n');
    } catch (err) {
      fail(err);
    }
  });

program
  .command('template')
  .description('write a data template (填报模板) of a catalog category for the drop folder')
  .argument('<category>', 'category code, e.g. P07-002')
  .option('-f, --format <format>', 'xlsx (notes, drop-down lists) or csv', 'xlsx')
  .option('-o, --out <file>', 'output file (default: <code>_<name>.<format> in this folder)')
  .option('--force', 'replace an existing file')
  .action(async (code: string, opts: { format: string; out?: string; force?: boolean }) => {
    try {
      if (opts.format !== 'xlsx' && opts.format !== 'csv') {
        throw new ConfigError('CONFIG_INVALID', [{ path: '--format', message: `"${opts.format}" is not xlsx or csv` }]);
      }
      const category = templateCategory(loadCatalog(), code);
      const written = await writeTemplate({ category, standard: standardFor(category), format: opts.format, outFile: opts.out, overwrite: opts.force });
      process.stdout.write(`wrote ${written.file}${written.notesFile ? `\nnotes: ${written.notesFile}` : ''}\n`);
    } catch (err) {
      fail(err);
    }
  });

program
  .command('config')
  .description('configuration tools')
  .command('check')
  .description('validate a configuration file and its secret references')
  .argument('<file>', 'configuration file (YAML)')
  .action((file: string) => {
    try {
      const { config, secrets } = loadConfigFile(file);
      secrets.get(config.platform.secretRef, 'platform.secretRef');
      const catalog = loadCatalog();
      const unknown = config.jobs.map((j, i) => [j, i] as const).filter(([j]) => !catalog.byCode(j.category));
      if (unknown.length > 0) {
        throw new ConfigError('CONFIG_REFERENCE', unknown.map(([j, i]) => ({ path: `jobs[${i}].category`, message: `"${j.category}" is not in the catalog` })));
      }
      process.stdout.write(`${file}: ok (${config.sources.length} sources, ${config.jobs.length} jobs)\n`);
    } catch (err) {
      fail(err);
    }
  });

program.parseAsync(process.argv).catch(fail);
