import { loadConfigOnly } from '../../config/load.js';
import type { LoadedConfig } from '../../config/load.js';
import { checkConfigFile } from '../preflight/preflight.js';
import type { CheckProblem } from '../preflight/problem.js';
import type { Finding } from './contract.js';

/** Problems the secrets check reports on its own line: said once, there. */
const SECRETS_CODES = new Set(['CONFIG_SECRET_MISSING', 'CONFIG_SECRETS_FILE_MISSING', 'CONFIG_SECRETS_FILE_UNREADABLE', 'CONFIG_SECRETS_FILE_UNSAFE', 'CONFIG_SECRETS_FILE_INVALID']);

function said(p: CheckProblem): string {
  const where = p.line > 0 ? `${p.line}:${p.column} ` : '';
  const member = p.path ? `${p.path} ` : '';
  const close = p.suggestions.length > 0 ? ` (${p.suggestions.slice(0, 3).join(', ')}?)` : '';
  return `${where}${member}${p.code}: ${p.message}${close}`;
}

/**
 * Configuration valid: checked by the very check `config check`, start and
 * run make (gateway/preflight), every problem at its line, so doctor passes
 * exactly what start accepts. The configuration is handed on to the next
 * checks whenever it can be read, so one finding does not hide the others.
 */
export async function checkConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ finding: Finding; loaded?: Omit<LoadedConfig, 'secrets'> }> {
  const base = { id: 'config', title: 'title.config' } as const;
  const report = await checkConfigFile(file, { env });
  let loaded: Omit<LoadedConfig, 'secrets'> | undefined;
  try {
    loaded = loadConfigOnly(file);
  } catch {
    loaded = undefined;
  }
  const problems = report.problems.filter((p) => !SECRETS_CODES.has(p.code));
  if (problems.length > 0) {
    const first = problems[0]!;
    return {
      finding: {
        ...base, state: 'fail', message: 'config.invalid',
        fix: first.code === 'CONFIG_FILE_UNREADABLE' ? 'config.unreadable.fix' : 'config.invalid.fix',
        params: { file, code: first.code, detail: problems.map(said).join('; ') },
      },
      ...(loaded ? { loaded } : {}),
    };
  }
  if (!loaded) {
    // Only secrets problems, yet not loadable: cannot happen today; said rather than passed.
    return { finding: { ...base, state: 'fail', message: 'config.invalid', fix: 'config.invalid.fix', params: { file, code: 'CONFIG_INVALID', detail: report.problems.map(said).join('; ') } } };
  }
  return { finding: { ...base, state: 'pass', message: 'config.ok', params: { file, sources: report.sources, jobs: report.jobs } }, loaded };
}
