import type { RawRecord, Rejection, RejectRule } from './types.js';

const RECORD_ID = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const SUBJECT_KINDS = new Set(['legal', 'natural', 'individual_business']);

type Check = (r: RawRecord) => [code: string, message: string] | null;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/**
 * The members of spec section 2, checked in the order the table lists them;
 * the first failing check names the rejection.
 */
const BUILT_IN: Check[] = [
  (r) => (typeof r.id === 'string' && RECORD_ID.test(r.id) ? null : ['RECORD_ID_INVALID', 'id must be 64 lowercase hex characters']),
  (r) => (nonEmptyString(r.category) ? null : ['RECORD_CATEGORY_INVALID', 'category must be a catalog code']),
  (r) => (r.op === 'upsert' || r.op === 'delete' ? null : ['RECORD_OP_INVALID', 'op must be "upsert" or "delete"']),
  (r) =>
    typeof r.seq === 'number' && Number.isSafeInteger(r.seq) && r.seq > 0
      ? null
      : ['RECORD_SEQ_INVALID', 'seq must be a positive integer'],
  (r) =>
    typeof r.observedAt === 'string' && ISO_UTC.test(r.observedAt) && !Number.isNaN(Date.parse(r.observedAt))
      ? null
      : ['RECORD_OBSERVED_AT_INVALID', 'observedAt must be an ISO-8601 UTC timestamp'],
  (r) => {
    if (r.op !== 'upsert') return null;
    if (r.subject === undefined || r.subject === null) return ['RECORD_SUBJECT_MISSING', 'an upsert needs a subject'];
    const s = r.subject;
    if (!isPlainObject(s) || !SUBJECT_KINDS.has(s.kind as string) || !nonEmptyString(s.name) || !nonEmptyString(s.code)) {
      return ['RECORD_SUBJECT_INVALID', 'subject needs kind (legal|natural|individual_business), name and code'];
    }
    return null;
  },
  (r) => {
    if (r.op !== 'upsert') return null;
    if (r.data === undefined || r.data === null) return ['RECORD_DATA_MISSING', 'an upsert needs data'];
    if (!isPlainObject(r.data)) return ['RECORD_DATA_INVALID', 'data must be an object'];
    const bad = Object.entries(r.data).find(([, v]) => v !== null && typeof v !== 'string' && typeof v !== 'number');
    return bad ? ['RECORD_DATA_INVALID', `data.${bad[0]} must be a string, a number or null`] : null;
  },
  (r) => (r.op === 'delete' && r.data !== undefined ? ['RECORD_DELETE_WITH_DATA', 'a delete carries no data'] : null),
  (r) => (r.op === 'delete' && r.subject !== undefined ? ['RECORD_DELETE_WITH_SUBJECT', 'a delete carries no subject'] : null),
];

function ruleMatches(rule: RejectRule, r: RawRecord): boolean {
  if (rule.category !== undefined && r.category !== rule.category) return false;
  if (rule.ids !== undefined && !rule.ids.includes(r.id as string)) return false;
  if (rule.field !== undefined) {
    const data = isPlainObject(r.data) ? r.data : {};
    if (!Object.hasOwn(data, rule.field.code) || data[rule.field.code] !== rule.field.equals) return false;
  }
  return true;
}

/** The platform's own checks: the built-in ones first, then the rules a test injected. */
export function checkRecord(r: RawRecord, rules: readonly RejectRule[]): Rejection | null {
  const id = typeof r.id === 'string' ? r.id : null;
  for (const check of BUILT_IN) {
    const failed = check(r);
    if (failed) return { id, code: failed[0], message: failed[1] };
  }
  const rule = rules.find((rule) => ruleMatches(rule, r));
  return rule ? { id, code: rule.code, message: rule.message } : null;
}

/** Validates a rule given over the control API or in options; returns why it is unusable. */
export function ruleProblem(rule: unknown): string | null {
  if (!isPlainObject(rule)) return 'a rule must be an object';
  if (!nonEmptyString(rule.code) || typeof rule.message !== 'string') return 'a rule needs code and message';
  if (rule.category !== undefined && typeof rule.category !== 'string') return 'category must be a string';
  if (rule.ids !== undefined && !(Array.isArray(rule.ids) && rule.ids.every((i) => typeof i === 'string'))) {
    return 'ids must be an array of strings';
  }
  if (rule.field !== undefined) {
    const f = rule.field;
    if (!isPlainObject(f) || typeof f.code !== 'string' || !Object.hasOwn(f, 'equals')) return 'field needs code and equals';
  }
  return null;
}
