/**
 * One database job tried the way its runs would go: its query read for a
 * sample in the order the runner pages it, the sample judged by the
 * runner's mapping and checks (control/sample.ts), and the cursor or key
 * probed as each run probes it, for the warnings a run would raise. Reads
 * only; the source is opened and closed by the caller.
 */
import type { Row, Source } from '../../connectors/contract.js';
import type { JobConfig } from '../../config/schema.js';
import { closeIdentifiers } from '../catalog/close-matches.js';
import { columnUses, judgeSample, readSample } from '../control/sample.js';
import { wordsOf } from '../doctor/sources-check.js';
import { maskKey, maskQuoted, maskSubjectCode } from '../identifiers/mask.js';
import { planIncremental, planSnapshot } from '../jobs/plan.js';
import type { MapRow } from '../jobs/runner.js';
import type { CandidateRecord } from '../model.js';
import type { ColumnUse, JobProbe, ProbeProblem, SampleRecord } from './report.js';

/** Sample records shown per job: enough to see the mapping at work. */
export const RECORDS_SHOWN = 3;

export interface JobProbeInput {
  job: JobConfig;
  index: number;
  source: Source;
  /** The source's configured zone for naive times, as its runs get it. */
  timeZone?: string;
  mapRow: MapRow;
  rows: number;
  /** What JobProbe says of the job apart from the sample. */
  base: Omit<JobProbe, 'rowsSampled' | 'columnsFound' | 'columns' | 'accepted' | 'rejected' | 'reasons' | 'records' | 'warnings' | 'problems' | 'skipped'>;
}

export async function probeJob(input: JobProbeInput): Promise<JobProbe> {
  const { job, index, source } = input;
  const at = `jobs[${index}]`;
  const report: JobProbe = {
    ...input.base, skipped: null, rowsSampled: 0, columnsFound: null, columns: [], accepted: 0, rejected: 0, reasons: [], records: [], warnings: [], problems: [],
  };
  let rows: Row[];
  let orderFailure: unknown = null;
  try {
    rows = await readSample(source, job, input.rows);
  } catch (err) {
    // A misspelled cursor column fails the ordered read itself: read by the key instead, so the columns can still be compared.
    orderFailure = err;
    if (job.mode !== 'incremental') return failed(report, problem('PROBE_QUERY_FAILED', `${at}.query`, err));
    try {
      rows = await readSample(source, job, input.rows, job.key);
    } catch {
      return failed(report, problem('PROBE_QUERY_FAILED', `${at}.query`, err));
    }
  }
  const sample = judgeSample(job, rows, input.mapRow);
  report.rowsSampled = sample.rows;
  report.columnsFound = sample.columnsFound;
  report.columns = columnReport(job, at, sample.columnsFound);
  report.problems.push(...report.columns.filter((c) => !c.found).map((c) => missingProblem(c)));
  if (orderFailure && report.problems.length === 0) report.problems.push(problem('PROBE_QUERY_FAILED', `${at}.cursor`, orderFailure));
  if (report.problems.length > 0) return report;

  report.accepted = sample.accepted.length;
  report.rejected = sample.rejected;
  report.reasons = sample.reasons;
  report.records = sample.accepted.slice(0, RECORDS_SHOWN).map(sampleRecord);
  if (sample.rows > 0 && sample.rejected === sample.rows) {
    const top = sample.reasons.slice(0, 3).map((r) => `${r.field} ${r.code} (${r.rows})`).join('; ');
    report.problems.push({ code: 'PROBE_ALL_REJECTED', path: `${at}.fields`, detail: top });
  }
  try {
    const zone = input.timeZone ? { timeZone: input.timeZone } : {};
    if (job.mode === 'incremental') {
      const plan = await planIncremental(source, { query: job.query, cursor: job.cursor, safetyLagSecs: job.safetyLagSecs, cursorClock: job.cursorClock, lookbackSecs: job.lookbackSecs, snapshotScheduled: job.snapshotSchedule !== undefined, ...zone }, null);
      report.warnings = plan.warnings;
      if (plan.window.bound) report.bound = { bound: plan.window.bound, lagSecs: plan.window.lagSecs };
    } else {
      report.warnings = (await planSnapshot(source, { query: job.query, key: job.key, ...zone })).warnings;
    }
  } catch (err) {
    report.problems.push(problem('PROBE_QUERY_FAILED', `${at}.${job.mode === 'incremental' ? 'cursor' : 'key'}`, err));
  }
  return report;
}

function failed(report: JobProbe, p: ProbeProblem): JobProbe {
  report.problems.push(p);
  return report;
}

export function problem(code: ProbeProblem['code'], path: string, err: unknown): ProbeProblem {
  return { code, path, detail: wordsOf(err) };
}

/** Every column the job reads (the cursor too: each run orders by it), against the result's. */
export function columnReport(job: JobConfig, at: string, found: string[] | null): ColumnUse[] {
  const uses = columnUses(job, at);
  if (job.mode === 'incremental') {
    job.cursor.forEach((c, i) => uses.set(c, [...(uses.get(c) ?? []), `${at}.cursor[${i}]`]));
  }
  const present = found === null ? null : new Set(found);
  return [...uses].map(([column, paths]) => {
    const ok = present === null || present.has(column);
    return { column, paths, found: ok, suggestion: ok ? null : closeColumn(column, found!) };
  });
}

/** The result's column a missing one most likely means (the same but for case first), as config check suggests names. */
export function closeColumn(column: string, found: readonly string[]): string | null {
  return closeIdentifiers(column, found, 1)[0] ?? null;
}

function missingProblem(c: ColumnUse): ProbeProblem {
  return { code: 'PROBE_COLUMN_MISSING', path: c.paths[0]!, detail: c.column, column: c.column, suggestion: c.suggestion };
}

/** The record's line as the platform would receive it, every value from the source masked where it could be a person's number. */
export function sampleRecord(r: CandidateRecord): SampleRecord {
  const subject = r.subject ? { kind: r.subject.kind, name: r.subject.name, code: maskSubjectCode(r.subject.code, r.subject.kind) } : null;
  const data = r.data
    ? Object.fromEntries(Object.entries(r.data).map(([k, v]) => [k, typeof v === 'string' ? maskQuoted(v) : typeof v === 'number' && maskQuoted(String(v)) !== String(v) ? maskQuoted(String(v)) : v]))
    : null;
  return { key: maskKey(r.key), category: r.category, op: r.op, subject, data };
}
