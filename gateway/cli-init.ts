/**
 * `credit-gateway init`: a department's first configuration, asked on a
 * terminal (or answered line by line on stdin) or given as flags with
 * --yes for scripts (gateway/init/). Exit 0 when the files are written,
 * 1 when nothing was (the error says why and what to do), 130 when
 * cancelled with Ctrl-C.
 */
import type { Command } from 'commander';
import { createPrompter } from './init/prompter.js';
import { runInit, type InitOptions } from './init/run-init.js';
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
    .action(async (opts: InitOptions & { yes?: boolean; nonInteractive?: boolean }) => {
      const prompter = opts.yes || opts.nonInteractive ? null : createPrompter();
      const say = (line: string) => process.stdout.write(`${line}\n`);
      try {
        const result = await runInit(opts, { prompter, env: process.env, say });
        say(`wrote ${result.configFile} (${result.jobs} jobs ready to run)`);
        say(`wrote ${result.secretsFile} (mode 600: the platform secret and the database password)`);
        say(`data folder ${result.dataDir} (mode 700)`);
        say('next / 下一步:');
        say(`  1. credit-gateway config check --probe ${result.configFile}   (fix what it reports; lines marked TODO or CLOSE MATCH in the file first)`);
        say(`  2. credit-gateway start --config ${result.configFile}   (or install the service: see the README, "Installing on a department server")`);
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
