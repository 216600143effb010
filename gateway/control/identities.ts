import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { jobIdentity, type RunConfig } from './runtime-diff.js';

/**
 * Keeps each job's cursor only while the job still reads the same rows: a
 * job whose identity changed starts over from the beginning (its records
 * already queued are untouched: the outbox is not per job). A job never
 * seen before only gets its identity, so later swaps can compare.
 */
export function syncJobIdentities(store: Pick<Store, 'jobIdentity' | 'setJobIdentity' | 'resetCursor'>, config: RunConfig, logger: Logger): string[] {
  const sources = new Map(config.sources.map((s) => [s.name, s]));
  const restarted: string[] = [];
  for (const job of config.jobs) {
    const identity = jobIdentity(job, sources.get(job.source));
    const stored = store.jobIdentity(job.name);
    if (stored === identity) continue;
    if (stored !== null) {
      store.resetCursor(job.name);
      restarted.push(job.name);
      logger.info({ job: job.name }, 'the job reads other rows now (source, query, cursor, key, category or mode changed): it starts from the beginning');
    }
    store.setJobIdentity(job.name, identity);
  }
  return restarted;
}
