/**
 * A probe report in words, as an outline of lines: the terminal (format.ts)
 * and the status page (status/pages/probe.ts) show the same lines, so the
 * two cannot drift apart. Words come from status/i18n.ts in either
 * language; values in the report are already masked.
 */
import { text, type Lang, type MessageKey } from '../status/i18n.js';
import { probeProblems, type JobProbe, type ProbeProblem, type ProbeReport, type SourceProbe, type WaitingFile } from './report.js';

export type Tone = 'good' | 'bad' | 'warn' | 'plain';

export interface OutlineLine {
  depth: number;
  text: string;
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

export function probeOutline(report: ProbeReport, lang: Lang, options: OutlineOptions = {}): OutlineLine[] {
  const say = (key: MessageKey, params: Record<string, string | number | null> = {}) => text(lang, key, params);
  const lines: OutlineLine[] = [];
  const add = (depth: number, line: string, tone: Tone = 'plain', extra: Partial<OutlineLine> = {}) => lines.push({ depth, text: line, tone, ...extra });

  add(0, say('probe.header', { rows: report.sampleRows }), 'plain', { heading: true });
  if (report.sources.length > 0) add(0, say('probe.sources'), 'plain', { heading: true });
  for (const s of report.sources) sourceLines(s, say, add);
  if (report.jobs.length > 0) add(0, say('probe.jobs'), 'plain', { heading: true });
  for (const j of report.jobs) jobLines(j, say, add);

  const problems = probeProblems(report);
  if (problems.length > 0) {
    add(0, say('probe.problems'), 'bad', { heading: true });
    for (const p of problems) {
      const where = options.locate?.(p.path);
      add(1, `${where ? `${where} ` : ''}${p.path} ${p.code}${say('probe.sep')}${problemText(p, say)}`, 'bad');
      add(2, say('probe.action', { action: say(`probe.fix.${p.code}` as MessageKey) }));
    }
  }
  const warnings = report.sources.reduce((n, s) => n + s.warnings.length, 0) + report.jobs.reduce((n, j) => n + j.warnings.length, 0);
  add(0, problems.length > 0 ? say('probe.verdictFailed', { n: problems.length }) : say('probe.verdictOk', { warnings }), problems.length > 0 ? 'bad' : 'good', { heading: true });
  return lines;
}

type Say = (key: MessageKey, params?: Record<string, string | number | null>) => string;
type Add = (depth: number, line: string, tone?: Tone, extra?: Partial<OutlineLine>) => void;

export function problemText(p: ProbeProblem, say: Say): string {
  const message = say(`probe.problem.${p.code}` as MessageKey, { detail: p.detail, column: p.column ?? '' });
  return p.suggestion ? `${message}${say('probe.nearSep')}${say('probe.didYouMean', { suggestion: p.suggestion })}` : message;
}

function sourceLines(s: SourceProbe, say: Say, add: Add): void {
  const title = say('probe.source', { name: s.name, kind: s.kind });
  if (!s.ok) {
    add(1, `${title}${say('probe.sep')}${s.problem ? problemText(s.problem, say) : say('probe.sourceFailed')}`, 'bad');
    return;
  }
  if (s.folder) {
    add(1, `${title}${say('probe.sep')}${say('probe.folderOk', { incoming: s.folder.incoming })}`, 'good');
    if (s.folder.files.length === 0) add(2, say('probe.filesNone'));
    else add(2, say('probe.filesWaiting'));
    for (const f of s.folder.files) add(3, fileText(f, say), f.verdict === 'data' ? 'plain' : f.verdict === 'ignored' ? 'plain' : 'warn');
    if (s.folder.more > 0) add(3, say('probe.filesMore', { n: s.folder.more }));
    return;
  }
  add(1, `${title}${say('probe.sep')}${say('probe.sourceOk', { version: s.facts?.serverVersion ?? '' })}`, 'good');
  if (s.noServerZone) {
    add(2, s.configuredTimeZone ? say('probe.noServerZoneRead', { zone: s.configuredTimeZone }) : say('probe.noServerZone'));
  } else {
    add(2, say('probe.zone', { db: s.facts?.timeZone ?? say('probe.zoneUnknown'), zone: s.configuredTimeZone ?? say('probe.zoneUnknown') }));
  }
  for (const w of s.warnings) warningLines(w, say, add);
}

function fileText(f: WaitingFile, say: Say): string {
  switch (f.verdict) {
    case 'data': return say('probe.fileData', { name: f.name, code: f.category, category: f.categoryName });
    case 'unknown-category': return say('probe.fileUnknown', { name: f.name, code: f.category });
    case 'refused': return say('probe.fileRefused', { name: f.name, code: f.code, detail: f.detail });
    case 'ignored': return say('probe.fileIgnored', { name: f.name, reason: f.reason });
  }
}

function jobLines(j: JobProbe, say: Say, add: Add): void {
  const failed = j.problems.length > 0;
  add(1, say('probe.job', { name: j.name, code: j.category, category: j.categoryName, source: j.source, mode: say(`mode.${j.mode}`) }), failed ? 'bad' : j.skipped ? 'warn' : 'good');
  if (j.skipped) {
    add(2, say(`probe.skipped.${j.skipped}`), 'warn');
    return;
  }
  if (j.columnsFound === null && j.problems.some((p) => p.code === 'PROBE_QUERY_FAILED') && j.columns.length === 0) {
    for (const p of j.problems) add(2, problemText(p, say), 'bad');
    return;
  }
  if (j.columnsFound === null) {
    add(2, say('probe.noRows'), 'warn');
  } else {
    add(2, say('probe.columnsFound', { n: j.columnsFound.length, columns: j.columnsFound.join(', ') }));
    add(2, say('probe.columnsUsed', { columns: j.columns.map((c) => c.column).join(', ') }));
  }
  for (const c of j.columns.filter((c) => !c.found)) {
    const missing = say('probe.columnMissing', { column: c.column, paths: c.paths.join(', ') });
    add(2, c.suggestion ? `${missing}${say('probe.nearSep')}${say('probe.didYouMean', { suggestion: c.suggestion })}` : missing, 'bad');
  }
  if (j.columnsFound !== null && j.columns.every((c) => c.found)) {
    add(2, say('probe.sampled', { rows: j.rowsSampled, accepted: j.accepted, rejected: j.rejected }), j.rejected === j.rowsSampled ? 'bad' : j.rejected > 0 ? 'warn' : 'good');
  }
  if (j.reasons.length > 0) {
    add(2, say('probe.reasons'));
    for (const r of j.reasons) add(3, say('probe.reason', { rows: r.rows, field: r.field, code: r.code, message: r.message }), 'warn');
  }
  if (j.records.length > 0) {
    add(2, say('probe.records'));
    for (const r of j.records) add(3, JSON.stringify(r), 'plain', { literal: true });
  }
  for (const p of j.problems.filter((p) => p.code === 'PROBE_QUERY_FAILED')) add(2, problemText(p, say), 'bad');
  if (j.warnings.length > 0) add(2, say('probe.warnings'), 'warn');
  else if (j.columnsFound !== null && j.problems.length === 0) add(2, say('probe.warningsNone'), 'good');
  for (const w of j.warnings) warningLines(w, say, add);
}

function warningLines(w: { code: string; message: string; action: string }, say: Say, add: Add): void {
  add(3, `${w.code}: ${w.message}`, 'warn');
  add(4, say('probe.action', { action: w.action }));
}
