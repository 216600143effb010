import { loadConfigOnly } from '../../config/load.js';
import { ConfigError } from '../../config/errors.js';
import type { LoadedConfig } from '../../config/load.js';
import { loadCatalog } from '../catalog/index.js';
import type { Finding } from './contract.js';

/**
 * Configuration valid: read and validated exactly as `start` and `config
 * check` read it (config/load.ts), and every job's category in the catalog.
 * Its secrets are the next check's business.
 */
export function checkConfig(file: string): { finding: Finding; loaded?: Omit<LoadedConfig, 'secrets'> } {
  const base = { id: 'config', title: 'title.config' } as const;
  let loaded: Omit<LoadedConfig, 'secrets'>;
  try {
    loaded = loadConfigOnly(file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const detail = err.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
    return { finding: { ...base, state: 'fail', message: 'config.invalid', fix: err.code === 'CONFIG_FILE_UNREADABLE' ? 'config.unreadable.fix' : 'config.invalid.fix', params: { file, code: err.code, detail } } };
  }
  const catalog = loadCatalog();
  const unknown = loaded.config.jobs.flatMap((j, i) => (catalog.byCode(j.category) ? [] : [`jobs[${i}].category "${j.category}"`]));
  if (unknown.length > 0) {
    return { finding: { ...base, state: 'fail', message: 'config.unknownCategory', fix: 'config.unknownCategory.fix', params: { file, detail: unknown.join(', ') } }, loaded };
  }
  const { config } = loaded;
  return { finding: { ...base, state: 'pass', message: 'config.ok', params: { file, sources: config.sources.length, jobs: config.jobs.length } }, loaded };
}
