/**
 * What a configuration check reports: every problem, each at the line and
 * column of its member, with its path, a stable code from its layer's
 * catalogue, what to do, and the nearest real names where there are some.
 * `config check`, start, run and the probe print and throw these.
 */
import { CONFIG_CODES, type ConfigProblem } from '../../config/errors.js';
import { closeIdentifiers } from '../catalog/close-matches.js';
import { GATEWAY_ERRORS } from '../errors.js';
import { STATUS_SECURITY_ERRORS } from '../status/security/errors.js';

export interface CheckProblem {
  /** The configuration file, as given. */
  file: string;
  /** 1-based; 0 when the problem is not at a member of the file (it cannot be read). */
  line: number;
  column: number;
  /** The member, e.g. `jobs[0].fields.CF_NRR`; '' for the file as a whole. */
  path: string;
  code: string;
  message: string;
  action: string;
  /** "Did you mean": the nearest real names, best first. */
  suggestions: string[];
}

export interface CheckReport {
  file: string;
  problems: CheckProblem[];
  /** What start lets through but a person should know (a retired field, a page served in clear). */
  warnings: CheckProblem[];
  /** Counts for the ok line. */
  sources: number;
  jobs: number;
}

/** The action of a code from any catalogue a check reports from. */
export function actionFor(code: string): string {
  const catalogues = [CONFIG_CODES, STATUS_SECURITY_ERRORS, GATEWAY_ERRORS] as Record<string, { action: string }>[];
  return catalogues.find((c) => Object.hasOwn(c, code))?.[code]?.action ?? 'see the message';
}

/** A problem not yet placed in the file: what the checks of each layer find. */
export interface FoundProblem extends Omit<ConfigProblem, 'code'> {
  /** A code of the configuration's, the status page's or the gateway's catalogue. */
  code: string;
}

export function located(found: FoundProblem, file: string, where: { line: number; column: number }): CheckProblem {
  const member = found.path.slice(Math.max(found.path.lastIndexOf('.'), found.path.lastIndexOf(']')) + 1);
  const suggestions = found.suggestions ? [...found.suggestions] : found.candidates ? closeIdentifiers(found.given ?? member, found.candidates) : [];
  return { file, line: where.line, column: where.column, path: found.path, code: found.code, message: found.message, action: actionFor(found.code), suggestions };
}

/** Refusal of a configuration with every problem found, for start and run; its code is the first problem's. */
export class ConfigCheckError extends Error {
  readonly code: string;
  readonly action: string;
  readonly problems: CheckProblem[];
  /** Shown beside the refusal, as `config check` shows them. */
  readonly warnings: CheckProblem[];
  constructor(problems: CheckProblem[], warnings: CheckProblem[] = []) {
    super(formatReport({ file: problems[0]?.file ?? '', problems, warnings, sources: 0, jobs: 0 }));
    this.name = 'ConfigCheckError';
    this.code = problems[0]?.code ?? 'CONFIG_INVALID';
    this.action = problems[0]?.action ?? actionFor('CONFIG_INVALID');
    this.problems = problems;
    this.warnings = warnings;
  }
}

/** `demo.yaml:12:7 jobs[0].fields.CF_NRR CONFIG_FIELD_UNKNOWN: … — did you mean CF_NR (处罚内容)? what to do: …` */
export function formatProblem(p: CheckProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const near = p.suggestions.length > 0 ? ` — did you mean ${p.suggestions.join(', or ')}?` : '';
  return `${where}${p.path ? ` ${p.path}` : ''} ${p.code}: ${p.message}${near}\n  what to do: ${p.action}`;
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function formatReport(report: Pick<CheckReport, 'file' | 'problems' | 'sources' | 'jobs'> & { warnings?: CheckProblem[] }): string {
  const warnings = (report.warnings ?? []).map((w) => `warning: ${formatProblem(w)}`);
  const warned = warnings.length > 0 ? `, ${counted(warnings.length, 'warning')}` : '';
  if (report.problems.length === 0) return [...warnings, `${report.file}: ok (${report.sources} sources, ${report.jobs} jobs)${warned}`].join('\n');
  return [...report.problems.map(formatProblem), ...warnings, `${report.file}: ${counted(report.problems.length, 'problem')}${warned}; the gateway does not start with this configuration`].join('\n');
}
