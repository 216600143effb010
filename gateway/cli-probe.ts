/**
 * `config check --probe`: after the static check passed, the configuration
 * tried against the real sources (gateway/probe/), its report printed with
 * each problem at its line. Exit status as every command gives it
 * (exit-status.ts), by the first problem: 0 when nothing would stop or ruin
 * a start (warnings allowed), 1 a column the mapping names is missing, 2 a
 * source, folder or query fails, 6 a job would reject every sampled row.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { EXIT, exitStatusFor, type ExitStatus } from './exit-status.js';
import { DEFAULT_SAMPLE_ROWS, probeProblems, type ProbeReport } from './probe/report.js';

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

/** The exit status of a probe: its first problem's, as exit-status.ts maps every code. */
export function probeExitStatus(report: ProbeReport): ExitStatus {
  const [first] = probeProblems(report);
  return first ? exitStatusFor(first.code) : EXIT.OK;
}

/**
 * Runs the probe on a configuration the static check passed and prints its
 * report (or, with `json`, that check report with the probe's beside it);
 * the exit status.
 */
export async function runProbe(loaded: LoadedConfig, flags: ProbeFlags, out: { file?: string; json?: object } = {}): Promise<ExitStatus> {
  const rows = Number(flags.rows ?? DEFAULT_SAMPLE_ROWS);
  if (!Number.isSafeInteger(rows) || rows < 1 || rows > 100_000) {
    throw new ConfigError('CONFIG_INVALID', [{ path: '--rows', message: `"${flags.rows}" is not a whole number from 1 to 100000` }]);
  }
  const lang = flags.lang ?? 'en';
  if (lang !== 'zh' && lang !== 'en') throw new ConfigError('CONFIG_INVALID', [{ path: '--lang', message: `"${lang}" is not zh or en` }]);
  // Loaded here only: it pulls in the connectors and the runner, which the other commands do not need.
  const { formatProbeReport, probeConfiguration } = await import('./probe/index.js');
  const { parseLocated } = await import('../config/locate.js');
  const report = await probeConfiguration(loaded, { rows });
  const status = probeExitStatus(report);
  if (out.json) {
    process.stdout.write(`${JSON.stringify({ ...out.json, probe: { ok: status === EXIT.OK, ...report } }, null, 2)}\n`);
  } else {
    // The report is for people whatever it says (problems included): stdout; the exit status tells scripts.
    process.stdout.write(formatProbeReport(report, lang, out.file ? { locate: locator(out.file, parseLocated) } : {}));
  }
  return status;
}

/** `file:line:column` of a member, as config check writes it. */
function locator(file: string, parseLocated: typeof import('../config/locate.js').parseLocated): (path: string) => string | null {
  let locate: ((path: string) => { line: number; column: number }) | null = null;
  try {
    locate = parseLocated(readFileSync(file, 'utf8')).locate;
  } catch {
    // Read a moment ago by the check: if it is gone now, problems are still named by their paths.
  }
  return (path) => {
    const at = locate?.(path);
    return at && at.line > 0 ? `${file}:${at.line}:${at.column}` : null;
  };
}
