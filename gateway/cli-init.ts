/**
 * `credit-gateway init`: a department's first configuration, asked on a
 * terminal (or answered line by line on stdin) or given as flags with
 * --yes for scripts (gateway/init/), then the probe over what it wrote
 * (config check --probe). Exit 0 when the files are written and the probe
 * found nothing to fix; the probe's own status when it did (1 a column
 * missing, 2 a source failing, 6 a job rejecting every row: the files are
 * written, fix them as the report says); 1 or 2 when nothing was written
 * (the error says why and what to do); 130 when cancelled with Ctrl-C.
 */
import type { Command } from 'commander';
import { runProbe } from './cli-probe.js';
import { EXIT } from './exit-status.js';
import { createPrompter } from './init/prompter.js';
import type { InitOptions } from './init/run-init.js';
import { InitError } from './init/errors.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerInitCommand(program: Command, fail: (err: unknown) => never): void {
  program
    .command('init')
    .description("write a department's first configuration, secrets file and data folder from its database (生成初始配置)")
    .option('--department <name>', "the department's current name, e.g. 市人社局 (see credit-gateway catalog)")
    .option('--gateway-id <id>', 'the gateway id issued by the credit center')
    .option('--platform-url <url>', 'the platform address issued by the credit center')
    .option('--platform-secret-env <var>', 'environment variable holding the platform secret (default CREDIT_GATEWAY_SECRET_PLATFORM)')
    .option('--db <kind>', 'sqlite, mysql, mariadb, postgres, mssql or oracle')
    .option('--file <file>', 'sqlite: the database file')
    .option('--host <host>', 'database host')
    .option('--port <port>', 'database port (default: the kind\'s own)')
    .option('--database <name>', 'database name (oracle: service name)')
    .option('--user <user>', 'a read-only database account')
    .option('--password-env <var>', "environment variable holding the account's password (default CREDIT_GATEWAY_SECRET_DB_PASSWORD)")
    .option('--time-zone <zone>', 'the zone the database\'s naive times are written in (default Asia/Shanghai; sqlite: none)')
    .option('--table <category=table>', 'the table or view of a category, e.g. P07-002=t_xzcf (repeatable)', collect, [])
    .option('--department-code <code>', "the department's 统一社会信用代码, for the fields naming the issuing authority's code")
    .option('-o, --out <file>', 'configuration file to write', 'gateway.yaml')
    .option('--secrets <file>', 'secrets file to write (default: secrets.yaml beside the configuration)')
    .option('--data-dir <dir>', 'data folder, relative to the configuration', './data')
    .option('--force', 'replace an existing configuration; set the secrets in an existing secrets file')
    .option('-y, --yes', 'ask nothing: every answer from its flag (scripts)')
    .option('--non-interactive', 'the same as --yes')
    .option('--no-probe', 'do not run the probe over what was written (run config check --probe later)')
    .option('--lang <lang>', 'language of the probe report: en or zh (简体中文)', 'en')
    .action(async (opts: InitOptions & { yes?: boolean; nonInteractive?: boolean; probe: boolean; lang: string }) => {
      const prompter = opts.yes || opts.nonInteractive ? null : createPrompter();
      const say = (line: string) => process.stdout.write(`${line}\n`);
      try {
        const { runInit } = await import('./init/run-init.js');
        const result = await runInit(opts, { prompter, env: process.env, say });
        say(`wrote ${result.configFile} (${result.jobs} jobs ready to run)`);
        say(`wrote ${result.secretsFile} (mode 600: the platform secret and the database password)`);
        say(`data folder ${result.dataDir} (mode 700)`);
        prompter?.close();
        let status: number = EXIT.OK;
        if (opts.probe) {
          say('\nprobe / 试运行检查 (config check --probe):');
          status = await runProbe(result.loaded, { lang: opts.lang }, { file: result.configFile });
        }
        say('next / 下一步:');
        say(status === EXIT.OK
          ? `  1. check the lines marked TODO, CLOSE MATCH or ASSUMED in ${result.configFile}, then credit-gateway config check --probe ${result.configFile}`
          : `  1. fix what the probe reported in ${result.configFile} (and the lines marked TODO, CLOSE MATCH or ASSUMED), then credit-gateway config check --probe ${result.configFile}`);
        say(`  2. credit-gateway start --config ${result.configFile}   (or install the service: see the README, "Installing on a department server")`);
        process.exit(status);
      } catch (err) {
        if (err instanceof InitError && err.code === 'INIT_CANCELLED') {
          process.stderr.write(`${err.message}\n`);
          process.exit(130);
        }
        fail(err);
      } finally {
        prompter?.close();
      }
    });
}
