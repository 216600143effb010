/**
 * Whether a record's subject can be sent: a name, and a code that meets the
 * standard for its kind. The code comes back normalised (half-width, upper
 * case, 15-digit ID numbers upgraded), as the platform should receive it.
 */
import { checkCreditCode } from '../identifiers/credit-code.js';
import { checkIdCard } from '../identifiers/id-card.js';
import type { IdentifierResult } from '../identifiers/result.js';
import type { MappedSubject } from '../mapping/subject.js';
import type { Finding, Subject, SubjectKind } from '../model.js';
import { atField, finding } from './reasons.js';

export interface SubjectCheck {
  /** The subject as it should be sent; absent when its kind is unknown. */
  subject?: Subject;
  errors: Finding[];
  warnings: Finding[];
}

/**
 * Natural persons are identified by 居民身份证号码 only: other certificates
 * (passports, 港澳居民来往内地通行证 …) have no check digit to verify and are
 * refused until a category needs them.
 */
function checkCode(kind: SubjectKind, code: string, today: string | undefined): IdentifierResult {
  switch (kind) {
    case 'legal': return checkCreditCode(code);
    case 'individual_business': return checkCreditCode(code, { allowIndividualBusinessPlaceholder: true });
    case 'natural': return checkIdCard(code, today === undefined ? {} : { today });
  }
}

/** `today` ('YYYY-MM-DD') bounds birth dates; a subject of unknown kind has only its name checked. */
export function checkSubject(mapped: MappedSubject, today?: string): SubjectCheck {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const name = mapped.name.trim();
  if (name === '') errors.push(finding('SUBJECT_NAME_MISSING', 'subject.name'));
  if (mapped.kind === null) return { errors, warnings };

  const result = checkCode(mapped.kind, mapped.code, today);
  if (!result.ok) errors.push(atField(result.finding, 'subject.code'));
  else for (let i = 0; i < result.warnings.length; i++) warnings.push(atField(result.warnings[i]!, 'subject.code'));
  return {
    subject: { kind: mapped.kind, name, code: result.ok ? result.value : mapped.code },
    errors,
    warnings,
  };
}
