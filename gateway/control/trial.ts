/**
 * A bundle tried on the real local systems before it replaces anything
 * (DESIGN invariant 7): each new or changed source opened, each new or
 * changed job's query run with a row limit and its sample mapped and
 * validated with the code the runner uses. Nothing is written to the store
 * or the outbox; every source opened here is closed again.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../../config/errors.js';
import { resolvePath } from '../../config/load.js';
import type { DatabaseSourceConfig, FolderSourceConfig, JobConfig } from '../../config/schema.js';
import { requireAllowedPath } from '../../config/source-options.js';
import type { Row, Source } from '../../connectors/contract.js';
import { describeError } from '../errors.js';
import type { BundleProblem } from './contract.js';
import { applyProblem } from './apply-errors.js';
import { checkJobs } from './job-checks.js';
import { profileProblems } from '../profiles/checks.js';
import { diffRuntime, type RunConfig } from './runtime-diff.js';
import { openSource } from './open-source.js';
import type { RuntimeDeps } from './runtime.js';
import { mapRowFor } from '../jobs/job-mapper.js';
import { judgeSample, readSample } from './sample.js';

export type TrialDeps = Pick<RuntimeDeps, 'gatewayId' | 'baseDir' | 'secrets' | 'bindings' | 'paths' | 'catalog' | 'standards' | 'logger' | 'localProfiles'>;

/** Every problem found; [] when the bundle may be swapped in. */
export async function tryConfiguration(previous: RunConfig, next: RunConfig, rows: number, deps: TrialDeps): Promise<BundleProblem[]> {
  let standards;
  try {
    standards = checkJobs(next.jobs, deps.catalog, deps.standards, deps.logger);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => applyProblem('CONTROL_TRIAL_CONFIG', p.message, p.path));
    throw err;
  }
  // The bundle's profiles, by the check `config check` makes of local ones, beside the local ones (a name in both is a problem).
  const profiles = profileProblems(next.profiles ?? [], {
    catalog: deps.catalog,
    standards: deps.standards,
    folders: next.sources.filter((s) => s.kind === 'folder').map((s) => s.name),
    taken: new Set((deps.localProfiles ?? []).map((p) => p.name)),
  });
  if (profiles.length > 0) return profiles.map((p) => applyProblem('CONTROL_TRIAL_CONFIG', p.message, p.path));
  const diff = diffRuntime(previous, next);
  const changedSources = new Set(diff.changedSources);
  const problems: BundleProblem[] = [];
  const opened = new Map<string, Source | null>();
  try {
    for (const [index, source] of next.sources.entries()) {
      if (!changedSources.has(source.name)) continue;
      if (source.kind === 'folder') {
        const problem = await tryFolder(source, index, deps);
        if (problem) problems.push(applyProblem('CONTROL_TRIAL_FOLDER', `source "${source.name}": ${problem}`, `sources[${index}].path`));
        continue;
      }
      opened.set(source.name, await tryOpen(source, index, deps, problems));
    }
    const changedJobs = new Set(diff.changedJobs);
    for (const [i, job] of next.jobs.entries()) {
      if (!changedJobs.has(job.name)) continue;
      const index = next.sources.findIndex((s) => s.name === job.source);
      const config = next.sources[index];
      if (!config || config.kind === 'folder') continue;
      // An unchanged source was not opened above: the job needs it all the same.
      if (!opened.has(job.source)) opened.set(job.source, await tryOpen(config, index, deps, problems));
      const source = opened.get(job.source);
      if (!source) continue;
      problems.push(...(await tryJob(job, i, source, standards[i]!, rows, deps)));
    }
  } finally {
    for (const source of opened.values()) await source?.close().catch(() => undefined);
  }
  return problems;
}

async function tryOpen(config: DatabaseSourceConfig, index: number, deps: TrialDeps, problems: BundleProblem[]): Promise<Source | null> {
  try {
    const source = await openSource(config, index, deps);
    try {
      await source.facts();
    } catch (err) {
      await source.close().catch(() => undefined);
      throw err;
    }
    return source;
  } catch (err) {
    const e = describeError(err);
    problems.push(applyProblem('CONTROL_TRIAL_SOURCE', `source "${config.name}": ${e.code}: ${e.message}`, `sources[${index}]`));
    return null;
  }
}

async function tryFolder(source: FolderSourceConfig, index: number, deps: TrialDeps): Promise<string | null> {
  const root = resolvePath(deps.baseDir, source.path);
  const probe = join(root, `.credit-gateway-trial-${randomUUID()}`);
  try {
    // Verification refused it already; checked again right before anything is created there.
    requireAllowedPath(source, index, deps.paths);
    await mkdir(root, { recursive: true });
    await writeFile(probe, 'trial');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

async function tryJob(job: JobConfig, i: number, source: Source, standard: Parameters<typeof mapRowFor>[1], limit: number, deps: TrialDeps): Promise<BundleProblem[]> {
  let rows: Row[];
  try {
    rows = await readSample(source, job, limit);
  } catch (err) {
    const e = describeError(err);
    return [applyProblem('CONTROL_TRIAL_QUERY', `job "${job.name}": ${e.code}: ${e.message}`, `jobs[${i}].query`)];
  }
  const sample = judgeSample(job, rows, mapRowFor(job, standard, deps));
  if (sample.missing.length > 0) {
    return [applyProblem(
      'CONTROL_TRIAL_COLUMN_MISSING',
      `job "${job.name}": the query's result has no column ${sample.missing.map((c) => `"${c}"`).join(', ')} (it has ${sample.columnsFound!.join(', ')})`,
      `jobs[${i}]`,
    )];
  }
  if (sample.rows === 0 || sample.rejected < sample.rows) return [];
  const common = sample.reasons.slice(0, 3).map((r) => `${r.field} ${r.code} ${r.message} (${r.rows}×)`);
  return [applyProblem('CONTROL_TRIAL_ALL_REJECTED', `job "${job.name}": all ${sample.rows} sampled rows were rejected; most common: ${common.join('; ')}`, `jobs[${i}].fields`)];
}
