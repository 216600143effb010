/**
 * `config check --probe`: a configuration tried against the department's
 * real systems before its first `start`, and the same on the status page
 * for the configuration in effect. Every database source is opened the way
 * a job opens it (read-only session, secrets only where the local
 * configuration lets them go), every enabled job's query read for a sample
 * and judged by the runner's own code; drop folders are only looked at.
 * Nothing is written to the store, the outbox, a source or a folder; every
 * source opened here is closed again, and none is shared with running jobs.
 */
import type { LoadedConfig } from '../../config/load.js';
import { LocalPaths } from '../../config/local-paths.js';
import type { DatabaseSourceConfig, SourceConfig } from '../../config/schema.js';
import { SecretBindings } from '../../config/secret-bindings.js';
import type { Source } from '../../connectors/contract.js';
import { loadCatalog, type Catalog } from '../catalog/index.js';
import { jobReferenceProblems } from '../control/job-checks.js';
import { openSource } from '../control/open-source.js';
import { mapRowFor } from '../jobs/job-mapper.js';
import { sourceWarnings } from '../jobs/warnings.js';
import { loadStandards, type Standards } from '../standards/index.js';
import { probeFolder } from './folder.js';
import { problem, probeJob } from './job.js';
import { DEFAULT_SAMPLE_ROWS, type JobProbe, type ProbeReport, type SourceProbe } from './report.js';

export interface ProbeOptions {
  /** Rows read of each job's query (default 200). */
  rows?: number;
  catalog?: Catalog;
  standards?: Standards;
  /**
   * Where secrets may go and which local paths sources may name: the local
   * configuration's. A running gateway passes its own, so a bundle's
   * sources are held to the local file's rules as its jobs are.
   */
  bindings?: SecretBindings;
  paths?: LocalPaths;
  now?: () => Date;
}

export async function probeConfiguration(loaded: LoadedConfig, options: ProbeOptions = {}): Promise<ProbeReport> {
  const { config, baseDir, secrets } = loaded;
  const rows = options.rows ?? DEFAULT_SAMPLE_ROWS;
  const catalog = options.catalog ?? loadCatalog();
  const standards = options.standards ?? loadStandards();
  const bindings = options.bindings ?? new SecretBindings(config);
  const paths = options.paths ?? new LocalPaths(config, baseDir);
  const report: ProbeReport = { at: (options.now?.() ?? new Date()).toISOString(), sampleRows: rows, config: [], sources: [], jobs: [] };

  // The checks start runs on the jobs (control/job-checks.ts): a job they refuse is not tried.
  const checked = jobReferenceProblems(config.jobs, catalog, standards);
  report.config = checked.problems.map((p) => ({
    code: 'PROBE_CONFIG_INVALID' as const,
    path: p.path,
    detail: `${p.code ? `${p.code}: ` : ''}${p.message}${p.suggestions?.length ? ` (did you mean ${p.suggestions.join(', or ')}?)` : ''}`,
  }));
  const refused = (i: number) => checked.problems.some((p) => p.path.startsWith(`jobs[${i}].`));
  const jobStandards = config.jobs.map((_, i) => (refused(i) ? undefined : checked.standards[i]));

  const opened = new Map<string, Source>();
  try {
    for (const [index, source] of config.sources.entries()) {
      if (source.kind === 'folder') {
        report.sources.push(probeFolder(source, index, { baseDir, paths, category: (code) => catalog.byCode(code) ?? null }));
        continue;
      }
      const { probe, open } = await probeSource(source, index, { baseDir, secrets: () => secrets, bindings, paths });
      report.sources.push(probe);
      if (open) opened.set(source.name, open);
    }
    // One job at a time: the department's database serves its own users first.
    for (const [index, job] of config.jobs.entries()) {
      const category = catalog.byCode(job.category);
      const base = {
        name: job.name, path: `jobs[${index}]`, source: job.source, category: job.category, categoryName: category?.name ?? '', mode: job.mode,
      };
      const source = opened.get(job.source);
      const standard = jobStandards[index];
      const skipped = !job.enabled ? 'disabled' : !standard ? 'config' : !source ? 'source' : null;
      if (skipped || !source || !standard) {
        report.jobs.push(skippedJob(base, skipped ?? 'source'));
        continue;
      }
      const zone = sourceConfig(config.sources, job.source)?.timeZone;
      report.jobs.push(await probeJob({
        job, index, source, rows, base,
        mapRow: mapRowFor(job, standard, { gatewayId: config.gateway.id, standards }),
        ...(zone ? { timeZone: zone } : {}),
      }));
    }
  } finally {
    for (const source of opened.values()) await source.close().catch(() => undefined);
  }
  return report;
}

async function probeSource(config: DatabaseSourceConfig, index: number, deps: Parameters<typeof openSource>[2]): Promise<{ probe: SourceProbe; open: Source | null }> {
  const base: SourceProbe = {
    name: config.name, kind: config.kind, path: `sources[${index}]`, ok: false, problem: null, facts: null,
    configuredTimeZone: config.timeZone ?? null, noServerZone: false, warnings: [], folder: null,
  };
  let source: Source | null = null;
  try {
    source = await openSource(config, index, deps);
    const facts = await source.facts();
    const probe = {
      ...base, ok: true,
      facts: { serverVersion: facts.serverVersion, timeZone: facts.timeZone, canWrite: facts.canWrite },
      noServerZone: facts.timeZone === null,
      warnings: sourceWarnings({ facts }),
    };
    return { probe, open: source };
  } catch (err) {
    await source?.close().catch(() => undefined);
    return { probe: { ...base, problem: problem('PROBE_SOURCE_UNAVAILABLE', `sources[${index}]`, err) }, open: null };
  }
}

function sourceConfig(sources: readonly SourceConfig[], name: string): DatabaseSourceConfig | undefined {
  const found = sources.find((s) => s.name === name);
  return found && found.kind !== 'folder' ? found : undefined;
}

function skippedJob(base: Pick<JobProbe, 'name' | 'path' | 'source' | 'category' | 'categoryName' | 'mode'>, why: 'disabled' | 'config' | 'source'): JobProbe {
  return {
    ...base, skipped: why, rowsSampled: 0, columnsFound: null, columns: [],
    accepted: 0, rejected: 0, reasons: [], records: [], warnings: [], problems: [],
  };
}
