/**
 * What `config check --probe` (and the status page's 试运行检查) found, as
 * data: the words are chosen when it is shown (format.ts for a terminal,
 * status/pages/probe.ts for the page, both from i18n/messages.ts). Every value
 * taken from the department's data is already masked here, so no way of
 * showing the report can leak an identity number.
 */
import type { Warning } from '../jobs/warnings.js';
import type { RunBound } from '../jobs/window.js';

/** Rows read of each job's query unless asked otherwise. */
export const DEFAULT_SAMPLE_ROWS = 200;

/** A problem that would stop or ruin a `start`: each fails the probe. */
export const PROBE_PROBLEMS = [
  /** A job's category or field codes are refused before anything is opened. */
  'PROBE_CONFIG_INVALID',
  /** A database source cannot be opened (refused secret, unreachable, wrong password, no file). */
  'PROBE_SOURCE_UNAVAILABLE',
  /** A drop folder is not allowed, missing or cannot be written by the gateway. */
  'PROBE_FOLDER_UNUSABLE',
  /** A job's query (or the probe of its cursor) fails in the database. */
  'PROBE_QUERY_FAILED',
  /** A column the mapping reads is not in the query's result. */
  'PROBE_COLUMN_MISSING',
  /** Every sampled row would be rejected. */
  'PROBE_ALL_REJECTED',
] as const;

export type ProbeProblemCode = (typeof PROBE_PROBLEMS)[number];

export interface ProbeProblem {
  code: ProbeProblemCode;
  /** The member the problem is about, e.g. `jobs[0].fields.CF_XDR_SHXYM`. */
  path: string;
  /** The database's or the checker's own words, masked. */
  detail: string;
  /** PROBE_COLUMN_MISSING: the column, and the result's column it most likely means. */
  column?: string;
  suggestion?: string | null;
}

/** A column the mapping reads, where the configuration names it, and whether the result has it. */
export interface ColumnUse {
  column: string;
  paths: string[];
  found: boolean;
  /** The result's column it most likely means, when it is missing. */
  suggestion: string | null;
}

/** A record as the platform would receive it (spec section 2), with its key; identity numbers masked. */
export interface SampleRecord {
  key: string;
  category: string;
  op: 'upsert' | 'delete';
  subject: { kind: string; name: string; code: string } | null;
  data: Record<string, string | number | boolean | null> | null;
}

export interface SourceProbe {
  name: string;
  kind: string;
  path: string;
  /** Database sources: opened and answered; drop folders: usable. */
  ok: boolean;
  problem: ProbeProblem | null;
  /** What the database says of itself; null when it was not reached, or for a drop folder. */
  facts: { serverVersion: string; timeZone: string | null; canWrite: boolean | null } | null;
  /** The zone the configuration reads naive times in; null when none is set (SQLite without one). */
  configuredTimeZone: string | null;
  /** The database reports no server zone (SQLite has none): a configured timeZone is how naive text is read, not compared with anything. */
  noServerZone: boolean;
  warnings: Warning[];
  folder: FolderProbe | null;
}

export interface FolderProbe {
  root: string;
  incoming: string;
  /** What each file waiting in incoming/ would become; nothing is moved. */
  files: WaitingFile[];
  /** Files beyond those listed. */
  more: number;
}

export type WaitingFile =
  | { name: string; verdict: 'data'; category: string; categoryName: string }
  | { name: string; verdict: 'unknown-category'; category: string }
  | { name: string; verdict: 'refused'; code: string; detail: string }
  | { name: string; verdict: 'ignored'; reason: string };

export interface JobProbe {
  name: string;
  path: string;
  source: string;
  category: string;
  categoryName: string;
  mode: 'incremental' | 'snapshot';
  /** Why the job was not tried: it is disabled, the configuration refuses it, or its source could not be opened. */
  skipped: 'disabled' | 'config' | 'source' | null;
  rowsSampled: number;
  /** The result's columns; null when no row came back to tell them. */
  columnsFound: string[] | null;
  columns: ColumnUse[];
  accepted: number;
  rejected: number;
  reasons: { field: string; code: string; message: string; rows: number }[];
  records: SampleRecord[];
  /** Time zone, precision and NULL findings, as the runner would warn at each run. */
  warnings: Warning[];
  /** An incremental job's read bound as a run would take it now, and the lag it came to; absent when not a timestamp cursor or not probed. */
  bound?: RunBound;
  problems: ProbeProblem[];
}

export interface ProbeReport {
  at: string;
  /** Rows asked of each job's query. */
  sampleRows: number;
  /** Problems found before any source was opened. */
  config: ProbeProblem[];
  sources: SourceProbe[];
  jobs: JobProbe[];
}

/** Every problem of the report, in the order it shows them. */
export function probeProblems(report: ProbeReport): ProbeProblem[] {
  return [
    ...report.config,
    ...report.sources.flatMap((s) => (s.problem ? [s.problem] : [])),
    ...report.jobs.flatMap((j) => j.problems),
  ];
}

/** True when a `start` with this configuration would fail or lose rows: the probe's exit status is 1. */
export function probeFailed(report: ProbeReport): boolean {
  return probeProblems(report).length > 0;
}
