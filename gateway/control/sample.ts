/**
 * A job's query tried on a sample of rows, with the runner's own mapping and
 * checks: which columns the result has and which the mapping needs, and
 * what would become of each row. Shared by a bundle's trial (trial.ts) and
 * `config check --probe` (gateway/probe/), so both judge a sample the way a
 * run would. Reads only; nothing is stored.
 */
import type { Row, Source } from '../../connectors/contract.js';
import type { MapRow } from '../jobs/runner.js';
import type { JobMapping } from '../mapping/types.js';
import type { CandidateRecord } from '../model.js';

/** One reason rows were rejected for, with how many sampled rows it hit and one of its messages. */
export interface SampleReason {
  field: string;
  code: string;
  /** The message of its first row: messages of one code differ only by the values they quote (masked). */
  message: string;
  rows: number;
}

export interface SampleVerdict {
  rows: number;
  /** The result's columns, in its order; null when it had no row to tell them by. */
  columnsFound: string[] | null;
  /** Columns the mapping reads that the result lacks ([] when nothing could be compared). */
  missing: string[];
  accepted: CandidateRecord[];
  rejected: number;
  /** Most rows first. */
  reasons: SampleReason[];
}

/** The first `limit` rows of the job's query, in the order its runs page through it. */
export function readSample(source: Source, job: { query: string; mode: 'incremental' | 'snapshot'; cursor?: string[]; key: string[] }, limit: number, orderBy?: string[]): Promise<Row[]> {
  const cursorColumns = orderBy ?? (job.mode === 'incremental' && job.cursor ? job.cursor : job.key);
  return source.readPage({ query: job.query, cursorColumns, after: null, limit });
}

/** What a run would make of these rows: no mapping is tried while a column the mapping reads is missing. */
export function judgeSample(job: JobMapping, rows: readonly Row[], mapRow: MapRow, observedAt = new Date().toISOString()): SampleVerdict {
  const verdict: SampleVerdict = { rows: rows.length, columnsFound: null, missing: [], accepted: [], rejected: 0, reasons: [] };
  if (rows.length === 0) return verdict;
  verdict.columnsFound = Object.keys(rows[0]!);
  const present = new Set(verdict.columnsFound);
  verdict.missing = mappingColumns(job).filter((c) => !present.has(c));
  if (verdict.missing.length > 0) return verdict;
  const reasons = new Map<string, SampleReason>();
  for (const row of rows) {
    const mapped = mapRow(row, observedAt);
    if ('record' in mapped) {
      verdict.accepted.push(mapped.record);
      continue;
    }
    verdict.rejected += 1;
    for (const f of mapped.rejection.findings) {
      const id = `${f.field}\u0000${f.code}`;
      const reason = reasons.get(id) ?? { field: f.field, code: f.code, message: f.message, rows: 0 };
      reason.rows += 1;
      reasons.set(id, reason);
    }
  }
  verdict.reasons = [...reasons.values()].sort((a, b) => b.rows - a.rows);
  return verdict;
}

/** Every source column the mapping reads. */
export function mappingColumns(job: JobMapping): string[] {
  return [...columnUses(job).keys()];
}

/**
 * Every source column the mapping reads, with the member paths (under the
 * job's own path, e.g. `jobs[0]`) that name it, so a missing column can be
 * traced to the line that names it.
 */
export function columnUses(job: JobMapping, at = ''): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const use = (column: string, path: string) => uses.set(column, [...(uses.get(column) ?? []), `${at}${path}`]);
  job.key.forEach((c, i) => use(c, `.key[${i}]`));
  use(job.subject.name, '.subject.name');
  if (typeof job.subject.code === 'string') use(job.subject.code, '.subject.code');
  else job.subject.code.forEach((c, i) => use(c, `.subject.code[${i}]`));
  if (typeof job.subject.kind === 'object') use(job.subject.kind.column, '.subject.kind.column');
  for (const [field, rule] of Object.entries(job.fields)) {
    if (typeof rule === 'string') {
      use(rule, `.fields.${field}`);
      continue;
    }
    if (rule.const !== undefined) continue;
    if (rule.column) use(rule.column, `.fields.${field}.column`);
    (rule.firstOf ?? []).forEach((c, i) => use(c, `.fields.${field}.firstOf[${i}]`));
    (rule.concat?.columns ?? []).forEach((c, i) => use(c, `.fields.${field}.concat.columns[${i}]`));
  }
  if (job.deleted) use(job.deleted.column, '.deleted.column');
  return uses;
}
