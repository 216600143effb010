/**
 * Who a row is about, read from the job's subject columns. The code is kept
 * as written (trimmed): checking and normalising it belongs to validation,
 * which knows the subject kind's standard.
 */
import type { Row, Value } from '../../connectors/contract.js';
import type { Finding, SubjectKind } from '../model.js';
import { finding } from '../validation/reasons.js';
import { columnValue } from './field-value.js';
import { subjectCodeColumns, type JobMapping } from './types.js';

/** A subject as mapped; `kind` is null when the row's kind value is not in the job's table. */
export interface MappedSubject {
  kind: SubjectKind | null;
  name: string;
  code: string;
}

export function mapSubject(rule: JobMapping['subject'], row: Row): { subject: MappedSubject; findings: Finding[] } {
  const findings: Finding[] = [];
  const text = (column: string, field: string): string => {
    const before = findings.length;
    const value = columnValue(row, column, field, findings);
    return findings.length > before ? '' : asText(value);
  };

  let kind: SubjectKind | null;
  if (typeof rule.kind === 'string') kind = rule.kind;
  else {
    const value = text(rule.kind.column, 'subject.kind');
    kind = Object.hasOwn(rule.kind.values, value) ? rule.kind.values[value]! : null;
    if (kind === null && !findings.length) {
      findings.push(finding('SUBJECT_KIND_UNKNOWN', 'subject.kind', { column: rule.kind.column, value }));
    }
  }
  const name = text(rule.name, 'subject.name');
  // Of several columns (legal and natural persons in one table), the first not blank; each must exist, as for firstOf.
  let code = '';
  for (const column of subjectCodeColumns(rule.code)) {
    const value = text(column, 'subject.code');
    if (code === '') code = value;
  }
  return { subject: { kind, name, code }, findings };
}

function asText(value: Value): string {
  return value === null ? '' : String(value).trim();
}
