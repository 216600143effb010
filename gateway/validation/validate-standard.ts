/**
 * A whole record against its category's standard: the subject as the
 * platform needs it, and the data as the standard defines it. For records
 * that did not come through a job's mapping (a file a clerk dropped, a
 * record rebuilt from the store); jobs call mapAndValidate, which does the
 * same on the mapped row.
 */
import type { CandidateRecord, Finding } from '../model.js';
import { fingerprint } from '../records/serialize.js';
import type { Standard } from '../standards/types.js';
import { finding } from './reasons.js';
import { checkData } from './standard-data.js';
import { checkSubject } from './subject.js';
import { dayOfReading, type Validation } from './validate-record.js';

export interface StandardOptions {
  /** 'YYYY-MM-DD'; by default the day the record was read, in China. */
  today?: string;
}

export function validateAgainstStandard(record: CandidateRecord, standard: Standard, options: StandardOptions = {}): Validation {
  // A delete only names a key: there is nothing in it to check.
  if (record.op === 'delete') return { errors: [], warnings: [], record };
  const today = dayOfReading(record.observedAt, options);
  const subjectErrors: Finding[] = [];
  const subjectWarnings: Finding[] = [];
  let subject = record.subject;
  let checkedCode: string | undefined;
  if (!subject) subjectErrors.push(finding('SUBJECT_MISSING', 'subject'));
  else {
    const check = checkSubject(subject, today);
    subjectErrors.push(...check.errors);
    subjectWarnings.push(...check.warnings);
    if (check.subject) subject = check.subject;
    if (check.subject && !check.errors.some((f) => f.field === 'subject.code')) checkedCode = check.subject.code;
  }
  const data = checkData(record.data ?? {}, standard, {
    ...(today ? { today } : {}),
    ...(record.subject ? { subject: { ...record.subject, ...(checkedCode ? { checkedCode } : {}) } } : {}),
  });
  const warnings = [...subjectWarnings, ...data.warnings];
  const normalised: CandidateRecord = {
    ...record,
    ...(subject ? { subject } : {}),
    data: data.data,
    fingerprint: fingerprint({ op: record.op, subject, data: data.data }),
  };
  const carried = [...(record.warnings ?? []), ...warnings];
  if (carried.length) normalised.warnings = carried;
  return { errors: [...subjectErrors, ...data.errors], warnings, record: normalised };
}
