/**
 * Who a row is about, read from the fields a standard marks as repeating
 * the subject. Files carry the subject only this way; jobs say it in their
 * `subject` rule instead. The result is unchecked, like a job's mapped
 * subject: validation decides whether the code is right for the kind.
 */
import type { Value } from '../../connectors/contract.js';
import type { SubjectKind } from '../model.js';
import { lookupCode } from './code-tables.js';
import type { Standard } from './types.js';

export interface SubjectFromFields {
  /** Null when the kind field is missing or holds a value the table does not know. */
  kind: SubjectKind | null;
  name: string;
  code: string;
}

const text = (value: Value | undefined): string => (value === null || value === undefined ? '' : String(value).trim());

/** `data` keyed by current field codes (see normaliseFieldCodes for headers and old codes). */
export function subjectFromFields(standard: Standard, data: Readonly<Record<string, Value>>): SubjectFromFields {
  const byRole = new Map(standard.fields.filter((f) => f.subject).map((f) => [f.subject!, f]));
  const kindField = byRole.get('kind');
  let kind: SubjectKind | null = null;
  if (kindField?.codeTable && text(data[kindField.code]) !== '') {
    const match = lookupCode(standard.codeTables[kindField.codeTable]!, text(data[kindField.code]));
    kind = (match.ok && match.entry?.subjectKind) || null;
  }
  const legal = text(data[byRole.get('legalCode')?.code ?? '']);
  const natural = text(data[byRole.get('naturalCode')?.code ?? '']);
  const code = kind === 'natural' ? natural : kind === null ? legal || natural : legal;
  return { kind, name: text(data[byRole.get('name')?.code ?? '']), code };
}
