/**
 * `credit-gateway config check FILE [--json] [--probe [--rows N] [--lang zh]]`:
 * everything start would refuse in the configuration, all at once, each
 * problem at its line and column with its member, code, what to do and the
 * nearest real names (gateway/preflight). Exit 0 and one ok line when start
 * would take it, 1 otherwise. With --probe, a configuration that passed is
 * then tried against the real sources (cli-probe.ts); one that did not is
 * not connected anywhere.
 */
import type { Command } from 'commander';
import { formatReport } from './preflight/problem.js';
import { runProbe, withProbeOptions, type ProbeFlags } from './cli-probe.js';

export function registerConfigCommands(program: Command, fail: (err: unknown) => never): void {
  const config = program.command('config').description('configuration tools');

  withProbeOptions(config
    .command('check')
    .description('check a configuration file for everything start would refuse: schema, references, catalog and field codes, secrets, security')
    .argument('<file>', 'configuration file (YAML)')
    .option('--json', 'print one JSON object: { file, ok, problems: [{ file, line, column, path, code, message, action, suggestions }] } (with --probe: and probe, the probe\'s report)'))
    .action(async (file: string, opts: { json?: boolean } & ProbeFlags) => {
      try {
        const { loadConfigFile } = await import('../config/load.js');
        const { checkConfigFile } = await import('./preflight/preflight.js');
        const report = await checkConfigFile(file);
        const ok = report.problems.length === 0;
        if (ok && opts.probe) {
          if (!opts.json) process.stdout.write(`${formatReport(report)}\n`);
          process.exit(await runProbe(loadConfigFile(file), opts, { file, json: opts.json ? { ...report, ok } : undefined }));
        }
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, ok }, null, 2)}\n`);
        else (ok ? process.stdout : process.stderr).write(`${formatReport(report)}\n`);
        process.exit(ok ? 0 : 1);
      } catch (err) {
        fail(err);
      }
    });
}
