/**
 * What a run reads from the database before its first page: the database's
 * clock and session facts (every run: the read window hangs on the clock),
 * then its open transactions (every run of a timestamp cursor stamped by the
 * database: the bound follows the oldest), and the probe of the job's cursor
 * or key columns (NULLs, precision).
 * Decisions are made by the pure functions of window.ts and warnings.ts.
 */
import type { CursorPosition, CursorProbe, OpenTransactions, Source, SourceFacts, Value } from '../../connectors/contract.js';
import { incrementalWarnings, snapshotWarnings, zoneWarnings, type Warning } from './warnings.js';
import { cursorKind, readWindow, type CursorClock, type CursorKind, type ReadWindow } from './window.js';

/**
 * A probe counts NULLs over the whole query, which on a large table is a scan:
 * it is repeated hourly, and after a failed run, not on every poll.
 */
export const PROBE_MAX_AGE_MS = 3_600_000;

export interface CachedProbe {
  probe: CursorProbe;
  atMs: number;
}

export function probeIsFresh(cached: CachedProbe | undefined, nowMs: number): cached is CachedProbe {
  return cached !== undefined && nowMs - cached.atMs < PROBE_MAX_AGE_MS;
}

export interface IncrementalPlanInput {
  query: string;
  cursor: string[];
  safetyLagSecs: number;
  lookbackSecs: number;
  /** Who stamps the cursor column; default the database. */
  cursorClock?: CursorClock;
  /** A snapshot schedule catches what a numeric cursor can miss. */
  snapshotScheduled: boolean;
  /** The source's configured zone for naive times; absent when it has none (SQLite without one). */
  timeZone?: string;
}

export interface IncrementalPlan {
  facts: SourceFacts;
  probe: CursorProbe;
  kind: CursorKind;
  window: ReadWindow;
  warnings: Warning[];
}

export async function planIncremental(
  source: Source,
  job: IncrementalPlanInput,
  stored: CursorPosition | null,
  cached?: CachedProbe,
): Promise<IncrementalPlan> {
  const facts = await source.facts();
  const probe = cached?.probe ?? (await source.probe(job.query, job.cursor));
  let kind = cursorKind({ columnType: probe.columnType, fractionalDigits: probe.fractionalDigits, sample: stored?.[0] });
  if (kind === 'unknown' && !stored) {
    // Nothing declares the column's type (SQLite) and there is no cursor yet: one row tells.
    kind = cursorKind({ columnType: null, fractionalDigits: null, sample: await firstValue(source, job) });
  }
  // After facts(): a transaction that starts after this look stamps its rows later than that clock.
  const open = kind === 'timestamp' && job.cursorClock !== 'application' ? await openTransactions(source) : null;
  const window = readWindow({
    columns: job.cursor, stored, kind, databaseNow: facts.now, fractionalDigits: probe.fractionalDigits,
    safetyLagSecs: job.safetyLagSecs, lookbackSecs: job.lookbackSecs, cursorClock: job.cursorClock ?? 'database', open,
  });
  const warnings = [
    ...incrementalWarnings({ cursor: job.cursor, probe, kind, window, lookbackSecs: job.lookbackSecs, snapshotScheduled: job.snapshotScheduled }),
    ...zoneWarnings({ facts, probe, ...(job.timeZone ? { timeZone: job.timeZone } : {}) }),
  ];
  return { facts, probe, kind, window, warnings };
}

function openTransactions(source: Source): Promise<OpenTransactions | null> {
  return source.openTransactions ? source.openTransactions() : Promise.resolve(null);
}

async function firstValue(source: Source, job: IncrementalPlanInput): Promise<Value | undefined> {
  const [row] = await source.readPage({ query: job.query, cursorColumns: job.cursor, after: null, limit: 1 });
  return row?.[job.cursor[0]!];
}

export interface SnapshotPlan {
  facts: SourceFacts;
  probe: CursorProbe;
  warnings: Warning[];
}

export async function planSnapshot(source: Source, job: { query: string; key: string[]; timeZone?: string }, cached?: CachedProbe): Promise<SnapshotPlan> {
  const facts = await source.facts();
  const probe = cached?.probe ?? (await source.probe(job.query, job.key));
  const zone = zoneWarnings({ facts, probe, ...(job.timeZone ? { timeZone: job.timeZone } : {}) });
  return { facts, probe, warnings: [...snapshotWarnings({ key: job.key, probe }), ...zone] };
}
