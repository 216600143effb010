/**
 * A probe report in words, as an outline of lines: the terminal (format.ts)
 * and the status page (status/pages/probe.ts) show the same lines, so the
 * two cannot drift apart. Each line is a message not yet said (i18n `Said`),
 * so each says it in its own language; names, column names and messages
 * quoted from the database or the checks travel as data (the page marks
 * them). Values in the report are already masked.
 */
import type { MessageKey, Param, Params, Said } from '../i18n/messages.js';
import { warningSaid } from '../i18n/warnings.js';
import { boundWords } from './bound.js';
import type { Warning } from '../jobs/warnings.js';
import { probeProblems, type JobProbe, type ProbeProblem, type ProbeReport, type SourceProbe, type WaitingFile } from './report.js';

export type Tone = 'good' | 'bad' | 'warn' | 'plain';

export interface OutlineLine {
  depth: number;
  said: Said;
  tone: Tone;
  /** A value shown as it is (a record as JSON): set in a fixed-width font. */
  literal?: boolean;
  /** Starts a section: a heading on the page, a blank line before it on a terminal. */
  heading?: boolean;
}

export interface OutlineOptions {
  /** Where a member is written, e.g. `gateway.yaml:14:5`; null when it cannot be told. Problems are then listed at their line. */
  locate?: (path: string) => string | null;
}

const said = (key: MessageKey, params: Params = {}): Said => ({ key, params });
const data = (value: string): Param => ({ data: value });
const pair = (a: Param, b: Param): Said => said('probe.pair', { a, b });

export function probeOutline(report: ProbeReport, options: OutlineOptions = {}): OutlineLine[] {
  const lines: OutlineLine[] = [];
  const add: Add = (depth, line, tone = 'plain', extra = {}) => lines.push({ depth, said: line, tone, ...extra });

  add(0, said('probe.header', { rows: report.sampleRows }), 'plain', { heading: true });
  if (report.sources.length > 0) add(0, said('probe.sources'), 'plain', { heading: true });
  for (const s of report.sources) sourceLines(s, add);
  if (report.jobs.length > 0) add(0, said('probe.jobs'), 'plain', { heading: true });
  for (const j of report.jobs) jobLines(j, add);

  const problems = probeProblems(report);
  if (problems.length > 0) {
    add(0, said('probe.problems'), 'bad', { heading: true });
    for (const p of problems) {
      const where = options.locate?.(p.path);
      add(1, said('probe.problemLine', { where: where ? `${where} ` : '', path: p.path, code: p.code, message: problemSaid(p) }), 'bad');
      add(2, said('probe.action', { action: said(`probe.fix.${p.code}` as MessageKey) }));
    }
  }
  const warnings = report.sources.reduce((n, s) => n + s.warnings.length, 0) + report.jobs.reduce((n, j) => n + j.warnings.length, 0);
  add(0, problems.length > 0 ? said('probe.verdictFailed', { n: problems.length }) : said('probe.verdictOk', { warnings }), problems.length > 0 ? 'bad' : 'good', { heading: true });
  return lines;
}

type Add = (depth: number, line: Said, tone?: Tone, extra?: Partial<OutlineLine>) => void;

export function problemSaid(p: ProbeProblem): Said {
  const message = said(`probe.problem.${p.code}` as MessageKey, { detail: data(p.detail), column: data(p.column ?? '') });
  return p.suggestion ? said('probe.near', { a: message, b: said('probe.didYouMean', { suggestion: data(p.suggestion) }) }) : message;
}

function sourceLines(s: SourceProbe, add: Add): void {
  const title = said('probe.source', { name: data(s.name), kind: s.kind });
  if (!s.ok) {
    add(1, pair(title, s.problem ? problemSaid(s.problem) : said('probe.sourceFailed')), 'bad');
    return;
  }
  if (s.folder) {
    add(1, pair(title, said('probe.folderOk', { incoming: data(s.folder.incoming) })), 'good');
    add(2, said(s.folder.files.length === 0 ? 'probe.filesNone' : 'probe.filesWaiting'));
    for (const f of s.folder.files) add(3, fileSaid(f), f.verdict === 'data' || f.verdict === 'ignored' ? 'plain' : 'warn');
    if (s.folder.more > 0) add(3, said('probe.filesMore', { n: s.folder.more }));
    return;
  }
  add(1, pair(title, said('probe.sourceOk', { version: data(s.facts?.serverVersion ?? '') })), 'good');
  if (s.noServerZone) {
    add(2, s.configuredTimeZone ? said('probe.noServerZoneRead', { zone: data(s.configuredTimeZone) }) : said('probe.noServerZone'));
  } else {
    const unknown = said('probe.zoneUnknown');
    add(2, said('probe.zone', { db: s.facts?.timeZone ? data(s.facts.timeZone) : unknown, zone: s.configuredTimeZone ? data(s.configuredTimeZone) : unknown }));
  }
  for (const w of s.warnings) warningLines(w, add);
}

function fileSaid(f: WaitingFile): Said {
  const name = data(f.name);
  switch (f.verdict) {
    case 'data': return said('probe.fileData', { name, code: f.category, category: data(f.categoryName) });
    case 'unknown-category': return said('probe.fileUnknown', { name, code: data(f.category) });
    case 'refused': return said('probe.fileRefused', { name, code: f.code, detail: data(f.detail) });
    case 'ignored': return said('probe.fileIgnored', { name, reason: f.reason });
  }
}

function jobLines(j: JobProbe, add: Add): void {
  const failed = j.problems.length > 0;
  const title = said('probe.job', { name: data(j.name), code: j.category, category: data(j.categoryName), source: data(j.source), mode: said(`mode.${j.mode}`) });
  add(1, title, failed ? 'bad' : j.skipped ? 'warn' : 'good');
  if (j.skipped) {
    add(2, said(`probe.skipped.${j.skipped}`), 'warn');
    return;
  }
  if (j.columnsFound === null && j.columns.length === 0) {
    // The query itself failed: nothing was read to say more of.
    for (const p of j.problems) add(2, problemSaid(p), 'bad');
    return;
  }
  if (j.columnsFound === null) {
    add(2, said('probe.noRows'), 'warn');
  } else {
    add(2, said('probe.columnsFound', { n: j.columnsFound.length, columns: data(j.columnsFound.join(', ')) }));
    add(2, said('probe.columnsUsed', { columns: data(j.columns.map((c) => c.column).join(', ')) }));
  }
  for (const c of j.columns.filter((c) => !c.found)) {
    const missing = said('probe.columnMissing', { column: data(c.column), paths: c.paths.join(', ') });
    add(2, c.suggestion ? said('probe.near', { a: missing, b: said('probe.didYouMean', { suggestion: data(c.suggestion) }) }) : missing, 'bad');
  }
  if (j.columnsFound !== null && j.columns.every((c) => c.found)) {
    add(2, said('probe.sampled', { rows: j.rowsSampled, accepted: j.accepted, rejected: j.rejected }), j.rejected === j.rowsSampled ? 'bad' : j.rejected > 0 ? 'warn' : 'good');
  }
  if (j.reasons.length > 0) {
    add(2, said('probe.reasons'));
    for (const r of j.reasons) add(3, said('probe.reason', { rows: r.rows, field: r.field, code: r.code, message: data(r.message) }), 'warn');
  }
  if (j.records.length > 0) {
    add(2, said('probe.records'));
    for (const r of j.records) add(3, said('probe.text', { text: data(JSON.stringify(r)) }), 'plain', { literal: true });
  }
  for (const p of j.problems.filter((p) => p.code === 'PROBE_QUERY_FAILED')) add(2, problemSaid(p), 'bad');
  if (j.bound) boundLine(j.bound, add);
  if (j.warnings.length > 0) add(2, said('probe.warnings'), 'warn');
  else if (j.columnsFound !== null && j.problems.length === 0) add(2, said('probe.warningsNone'), 'good');
  for (const w of j.warnings) warningLines(w, add);
}

/** Which upper bound the job's runs read to, and why: fresher reads are a grant away where the account cannot see other sessions. */
function boundLine(bound: NonNullable<JobProbe['bound']>, add: Add): void {
  const { said, tone } = boundWords(bound);
  add(2, said, tone);
}

/** The runner's warning as the page says it: in the reader's language where the tables know it. */
function warningLines(w: Warning, add: Add): void {
  const { message, action } = warningSaid(w);
  add(3, said('probe.warning', { code: w.code, message }), 'warn');
  add(4, said('probe.action', { action }));
}
