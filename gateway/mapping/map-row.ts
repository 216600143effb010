/**
 * A source row as a candidate record of the job's category. Mapping only
 * reads and reshapes; whether the subject's code is right is validation's
 * question (see validation/map-and-validate.ts, which the job runner calls).
 */
import { unreadableValue, type Row } from '../../connectors/contract.js';
import type { CandidateRecord, Finding, LocalRejection, RecordData, Subject } from '../model.js';
import { joinKey, recordId } from '../records/record-id.js';
import { fingerprint } from '../records/serialize.js';
import { finding } from '../validation/reasons.js';
import { isBlank, readField, unreadableFinding } from './field-value.js';
import { mapSubject, type MappedSubject } from './subject.js';
import type { FieldRule, JobMapping, MapContext } from './types.js';

/** Everything mapping learnt about a row, usable or not. */
export interface RowDraft {
  category: string;
  key: string;
  id: string;
  op: 'upsert' | 'delete';
  observedAt: string;
  /** Absent on delete. */
  subject?: MappedSubject;
  /** Absent on delete; a field whose rule failed is null. */
  data?: RecordData;
  /** Every mapping problem of the row; empty when the draft is a usable record. */
  findings: Finding[];
}

export type MapResult = { ok: true; record: CandidateRecord } | { ok: false; rejection: LocalRejection };

export function draftRow(job: JobMapping, row: Row, ctx: MapContext): RowDraft {
  const findings: Finding[] = [];
  const keyValues = job.key.map((column) => {
    const unreadable = unreadableValue(row, column);
    if (unreadable) {
      findings.push(unreadableFinding(unreadable, 'key'));
      return null;
    }
    const value = row[column];
    if (isBlank(value)) findings.push(finding('KEY_MISSING', 'key', { column }));
    return value ?? null;
  });
  const key = joinKey(keyValues);
  const id = recordId(ctx.gatewayId, job.category, key);
  const { category } = job;
  const { observedAt } = ctx;

  if (job.deleted && isWithdrawn(job.deleted, row, findings)) return { category, key, id, observedAt, op: 'delete', findings };

  const mapped = mapSubject(job.subject, row);
  findings.push(...mapped.findings);
  const { rules, template } = fieldRules(job.fields);
  // A copy of the job's template has every field already: filled in, it stays a fast object (one given
  // its 20-odd fields one by one would be a dictionary to V8, slower for everything that reads it after).
  const data: RecordData = { ...template };
  for (let i = 0; i < rules.length; i++) data[rules[i]![0]] = readField(rules[i]![0], rules[i]![1], row, ctx.codeTables, findings);
  return { category, key, id, observedAt, op: 'upsert', subject: mapped.subject, data, findings };
}

interface FieldRules {
  rules: readonly (readonly [string, FieldRule])[];
  /** Every field, in order, each null. */
  template: RecordData;
}

const rulesOf = new WeakMap<JobMapping['fields'], FieldRules>();

/** A job's fields as rules, in order: the same for every row, so listed once per job, not once per row. */
function fieldRules(fields: JobMapping['fields']): FieldRules {
  let known = rulesOf.get(fields);
  if (!known) {
    const rules = Object.entries(fields).map(([field, rule]) => [field, typeof rule === 'string' ? { column: rule } : rule] as const);
    const template: RecordData = {};
    for (const [field] of rules) template[field] = null;
    known = { rules, template: { ...template } };
    rulesOf.set(fields, known);
  }
  return known;
}

function isWithdrawn(rule: NonNullable<JobMapping['deleted']>, row: Row, findings: Finding[]): boolean {
  if (!Object.hasOwn(row, rule.column)) {
    findings.push(finding('COLUMN_MISSING', 'deleted', { column: rule.column, field: 'deleted' }));
    return false;
  }
  const unreadable = unreadableValue(row, rule.column);
  if (unreadable) {
    findings.push(unreadableFinding(unreadable, 'deleted'));
    return false;
  }
  const value = row[rule.column];
  if (value === null || value === undefined) return false;
  // Databases hand out numbers where spreadsheets hand out text: 1 and '1' are the same flag.
  const text = String(value).trim();
  return rule.values.some((v) => String(v) === text);
}

/**
 * The record a clean draft stands for, with the subject as validation
 * settled it (or as mapped) and the warnings it carries.
 */
export function recordFromDraft(draft: RowDraft, subject?: Subject, warnings: Finding[] = [], data: RecordData = draft.data ?? {}): CandidateRecord {
  // Written out member by member, in the order records always had: one per row, spreads cost more than the rest.
  const { id, category, key, observedAt } = draft;
  let record: CandidateRecord;
  if (draft.op === 'delete') record = { id, category, key, observedAt, op: 'delete', fingerprint: fingerprint({ op: 'delete' }) };
  else {
    const chosen = subject ?? settledSubject(draft.subject);
    record = { id, category, key, observedAt, op: 'upsert', subject: chosen, data, fingerprint: fingerprint({ op: 'upsert', subject: chosen, data }) };
  }
  if (warnings.length) record.warnings = warnings;
  return record;
}

function settledSubject(mapped: MappedSubject | undefined): Subject {
  if (!mapped || mapped.kind === null) throw new Error('a draft without a subject kind has findings and is no record');
  return { kind: mapped.kind, name: mapped.name, code: mapped.code };
}

export function rejectionFromDraft(draft: RowDraft, findings: Finding[]): LocalRejection {
  const subject = draft.subject && draft.subject.code !== '' ? { kind: draft.subject.kind, code: draft.subject.code } : null;
  return { category: draft.category, key: draft.key, recordId: draft.id, findings, observedAt: draft.observedAt, subject };
}

/** The row as a record, or, with every mapping finding, as a rejection. */
export function mapRow(job: JobMapping, row: Row, ctx: MapContext): MapResult {
  const draft = draftRow(job, row, ctx);
  return draft.findings.length
    ? { ok: false, rejection: rejectionFromDraft(draft, draft.findings) }
    : { ok: true, record: recordFromDraft(draft) };
}
