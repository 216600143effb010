/**
 * What a new configuration changes, as the apply needs to know it: which
 * sources to try and reopen, which jobs to try and run at once, and whether
 * a job still reads the same rows (its identity), which decides whether it
 * keeps its cursor. Pure functions.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { JobConfig, ProfileConfig, SourceConfig } from '../../config/schema.js';

export interface RunConfig {
  sources: readonly SourceConfig[];
  jobs: readonly JobConfig[];
  /** A bundle's export profiles, applied beside the local file's (RuntimeDeps.localProfiles); none for the local configuration. */
  profiles?: readonly ProfileConfig[];
}

/** Settings of a source that only tune how it reads, not what it reads. */
const TUNING = new Set(['name', 'passwordRef', 'pageSize', 'rowsPerSecond', 'queryTimeoutMs', 'connectTimeoutMs']);

/** Where a source reads from: its connection without the secret's name, the name, or its tuning. */
function connection(source: SourceConfig): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([k]) => !TUNING.has(k)).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A hash of what decides which rows a job reads and what they stand for: the
 * source's connection (no secret), query, cursor, key, category and mode. A
 * new mapping of the same rows keeps the cursor; anything else starts over.
 */
export function jobIdentity(job: JobConfig, source: SourceConfig | undefined): string {
  const doc = {
    source: source ? connection(source) : null,
    query: job.query,
    cursor: job.mode === 'incremental' ? job.cursor : null,
    key: job.key,
    category: job.category,
    mode: job.mode,
  };
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}

export interface RuntimeDiff {
  /** Sources new in `next` or configured differently: tried, and reopened after the swap. */
  changedSources: string[];
  /** Sources of `previous` that `next` no longer has, or has changed: closed at the swap. */
  closedSources: string[];
  /** Jobs new in `next`, configured differently, or whose source changed: tried, and run right after the swap. */
  changedJobs: string[];
}

export function diffRuntime(previous: RunConfig, next: RunConfig): RuntimeDiff {
  const before = new Map(previous.sources.map((s) => [s.name, s]));
  const after = new Map(next.sources.map((s) => [s.name, s]));
  const changedSources = next.sources.filter((s) => !isDeepStrictEqual(before.get(s.name), s)).map((s) => s.name);
  const closedSources = previous.sources.filter((s) => !isDeepStrictEqual(after.get(s.name), s)).map((s) => s.name);
  const changed = new Set(changedSources);
  const jobsBefore = new Map(previous.jobs.map((j) => [j.name, j]));
  const changedJobs = next.jobs.filter((j) => changed.has(j.source) || !isDeepStrictEqual(jobsBefore.get(j.name), j)).map((j) => j.name);
  return { changedSources, closedSources, changedJobs };
}
