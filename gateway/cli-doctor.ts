/**
 * `credit-gateway doctor [--config FILE] [--lang en] [--json]`: what is
 * wrong and how to fix it (doctor/); an installed release finds its own
 * configuration (doctor/default-config.ts). Exit 0 when nothing failed (warnings
 * allowed), 1 when a check failed.
 */
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import { installedConfigFile } from './doctor/default-config.js';
import { SOFTWARE_VERSION } from './version.js';

export function registerDoctorCommand(program: Command, fail: (err: unknown) => never): void {
  program
    .command('doctor')
    .description('check configuration, secrets, sources, platform, clock, disk, store and service, and say how to fix what is wrong (检查并给出处理办法)')
    .option('-c, --config <file>', 'configuration file (YAML); installed: P/etc/credit-gateway/gateway.yaml')
    .option('--lang <lang>', 'zh (简体中文) or en', 'zh')
    .option('--json', 'print one JSON object with every check (id, state, message, fix)')
    .action(async (opts: { config?: string; lang: string; json?: boolean }) => {
      try {
        const configFile = opts.config ?? installedConfigFile(process.env);
        if (!configFile) {
          throw new ConfigError('CONFIG_FILE_UNREADABLE', [{ path: '--config', message: 'no --config FILE given, and not started from an installed release (CREDIT_GATEWAY_HOME is not set)' }]);
        }
        if (opts.lang !== 'zh' && opts.lang !== 'en') {
          throw new ConfigError('CONFIG_OPTION_INVALID', [{ path: '--lang', message: `"${opts.lang}" is not zh or en` }]);
        }
        // Imported here: the doctor's checks reach the platform client (undici) and the store.
        const { runDoctor } = await import('./doctor/doctor.js');
        const { formatReport, reportJson } = await import('./doctor/format.js');
        const report = await runDoctor({ configFile, softwareVersion: SOFTWARE_VERSION });
        process.stdout.write(opts.json ? reportJson(report, opts.lang) : formatReport(report, opts.lang));
        process.exit(report.ok ? 0 : 1);
      } catch (err) {
        fail(err);
      }
    });
}
