/**
 * Checks of a mapped record against its category's data standard.
 */
import { chinaDate } from '../identifiers/calendar.js';
import { isBlank } from '../mapping/field-value.js';
import type { CandidateRecord, Finding, RecordData } from '../model.js';
import { fingerprint } from '../records/serialize.js';
import { finding } from './reasons.js';
import { checkSubject } from './subject.js';

export interface ValidateOptions {
  /** Field codes the category's data standard requires. */
  requiredFields?: string[];
  /** 'YYYY-MM-DD' no one is born after; by default the day the record was read, in China. */
  today?: string;
}

export interface Validation {
  errors: Finding[];
  warnings: Finding[];
  /**
   * The record as it should be sent: subject code normalised, fingerprint
   * to match, warnings attached. Meaningful only without errors.
   */
  record: CandidateRecord;
}

/** The last instant asked for and its day: every row of a page was read at the same instant. */
let lastReading: { observedAt: string; day: string | undefined } = { observedAt: '', day: undefined };

export function dayOfReading(observedAt: string, options: ValidateOptions): string | undefined {
  if (options.today != null) return options.today;
  if (lastReading.observedAt !== observedAt) lastReading = { observedAt, day: chinaDate(observedAt) ?? undefined };
  return lastReading.day;
}

export function missingRequired(data: RecordData | undefined, requiredFields: readonly string[] = []): Finding[] {
  return requiredFields
    .filter((field) => isBlank(data?.[field]))
    .map((field) => finding('FIELD_REQUIRED', field, { field }));
}

export function validateRecord(record: CandidateRecord, options: ValidateOptions = {}): Validation {
  // A delete only names a key: there is nothing in it to check.
  if (record.op === 'delete') return { errors: [], warnings: [], record };
  if (!record.subject) {
    return { errors: [finding('SUBJECT_MISSING', 'subject'), ...missingRequired(record.data, options.requiredFields)], warnings: [], record };
  }
  const check = checkSubject(record.subject, dayOfReading(record.observedAt, options));
  const errors = [...check.errors, ...missingRequired(record.data, options.requiredFields)];
  const subject = check.subject ?? record.subject;
  const warnings = [...(record.warnings ?? []), ...check.warnings];
  const normalised: CandidateRecord = {
    ...record,
    subject,
    fingerprint: fingerprint({ op: record.op, subject, data: record.data }),
  };
  if (warnings.length) normalised.warnings = warnings;
  return { errors, warnings: check.warnings, record: normalised };
}
