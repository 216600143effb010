/**
 * What a runtime (runtime.ts) holds of each source, job and drop folder of
 * its configuration between runs. Not persisted: a restart opens and probes
 * again.
 */
import type { DatabaseSourceConfig, FolderSourceConfig, JobConfig } from '../../config/schema.js';
import type { Source } from '../../connectors/contract.js';
import type { CachedProbe } from '../jobs/plan.js';
import type { TriggerKind } from '../jobs/scheduler.js';
import type { Warning } from '../jobs/warnings.js';
import type { LastBound } from '../jobs/window.js';
import type { Standard } from '../standards/index.js';
import type { DropFolder } from '../files/index.js';
import type { SourceHealth } from '../observability/health.js';

export interface SourceEntry {
  config: DatabaseSourceConfig;
  index: number;
  source: Source | null;
  /** Set while the source is being opened, so jobs starting together share one connection attempt. */
  opening: Promise<Source> | null;
  /** Runs using the source now: a failed run closes it only when no other run still reads it. */
  users: number;
  health: SourceHealth;
}

/** What the gateway remembers of a job between runs (not persisted: a restart probes again). */
export interface JobEntry {
  config: JobConfig;
  /** The data standard of the job's category: every row is checked against it. */
  standard: Readonly<Standard>;
  probes: Partial<Record<TriggerKind, CachedProbe>>;
  warnings: Partial<Record<TriggerKind, Warning[]>>;
  /** The read bound the last incremental run took, or its failure before taking one; absent before a run, and for cursors that are not timestamps. */
  bound?: LastBound;
  /** The mapping thread stopped in a run of this job: its pages are read on the main thread from then on. */
  threadReadsOff?: boolean;
}

/** A drop folder: files in, records out, no job of its own. */
export interface FolderEntry {
  config: FolderSourceConfig;
  folder: DropFolder;
  started: boolean;
}
