/**
 * `credit-gateway config check --probe FILE [--rows N] [--lang zh]`: after
 * the static check passed, the configuration tried against the real
 * sources (gateway/probe/). Exit 0 when nothing would stop or ruin a start
 * (warnings allowed), 1 when the probe found a problem (PROBE_* codes).
 */
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { DEFAULT_SAMPLE_ROWS } from './probe/report.js';

export interface ProbeFlags {
  probe?: boolean;
  rows?: string;
  lang?: string;
}

/** The probe's options on `config check`. */
export function withProbeOptions(command: Command): Command {
  return command
    .option('--probe', 'then connect to every source read-only, sample each job\'s query and show what start would make of it (试运行检查)')
    .option('--rows <n>', 'rows sampled per job with --probe', String(DEFAULT_SAMPLE_ROWS))
    .option('--lang <lang>', 'language of the probe report: en or zh (简体中文)', 'en');
}

/** Runs the probe on a configuration the static check passed, prints its report; the exit status. */
export async function runProbe(loaded: LoadedConfig, flags: ProbeFlags): Promise<0 | 1> {
  const rows = Number(flags.rows ?? DEFAULT_SAMPLE_ROWS);
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > 100_000) {
    throw new ConfigError('CONFIG_INVALID', [{ path: '--rows', message: `"${flags.rows}" is not a whole number from 1 to 100000` }]);
  }
  const lang = flags.lang ?? 'en';
  if (lang !== 'zh' && lang !== 'en') throw new ConfigError('CONFIG_INVALID', [{ path: '--lang', message: `"${lang}" is not zh or en` }]);
  // Loaded here only: it pulls in the connectors and the runner, which the other commands do not need.
  const { formatProbeReport, probeConfiguration, probeFailed } = await import('./probe/index.js');
  const report = await probeConfiguration(loaded, { rows });
  // The report is for people whatever it says (problems included): stdout; the exit status tells scripts.
  process.stdout.write(formatProbeReport(report, lang));
  return probeFailed(report) ? 1 : 0;
}
