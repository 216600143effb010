import { createHash } from 'node:crypto';
import type { CandidateRecord } from '../model.js';

/**
 * JSON with object keys sorted, so that equal content always yields equal
 * bytes whatever order the mapping produced the fields in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  // Every record is fingerprinted: one pass over sorted keys, no intermediate arrays.
  // The default sort orders by UTF-16 code units, as `<` on strings does.
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  // A flat object (a record's data, its subject): JSON.stringify writes the members in the order of a
  // key list it is given, the same bytes as the loop below, without building the text piece by piece.
  if (keys.every((key) => isScalar(object[key]))) return JSON.stringify(object, keys);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/**
 * What decides whether a record changed: its operation, subject and data,
 * not when it was read; and its provenance only when it has one, so records
 * without (database jobs, template files) keep the fingerprints they always had.
 */
export function fingerprint(record: Pick<CandidateRecord, 'op' | 'subject' | 'data' | 'provenance'>): string {
  const doc: Record<string, unknown> = { op: record.op, subject: record.subject ?? null, data: record.data ?? null };
  if (record.provenance !== undefined) doc.provenance = record.provenance;
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}

/** The record with its provenance, fingerprinted again (an upsert only: a delete says nothing of where it came from). */
export function withProvenance(record: CandidateRecord, provenance: CandidateRecord['provenance']): CandidateRecord {
  if (record.op !== 'upsert' || provenance === undefined) return record;
  const next = { ...record, provenance };
  return { ...next, fingerprint: fingerprint(next) };
}

/**
 * The record's line in a batch body (spec section 2), members in the spec's
 * order; a delete carries neither subject nor data (nor provenance).
 */
export function recordLine(record: CandidateRecord, seq: number): string {
  const [head, tail] = recordLineParts(record);
  return `${head}${seq}${tail}`;
}

/**
 * The line around its seq, which only the store assigns: what comes before
 * the seq's digits and what comes after. Written member by member as
 * JSON.stringify writes an object, so head + seq + tail is byte for byte the
 * JSON.stringify of the whole line.
 */
export function recordLineParts(record: CandidateRecord): [string, string] {
  const head = `{"id":${JSON.stringify(record.id)},"category":${JSON.stringify(record.category)},"op":${JSON.stringify(record.op)},"seq":`;
  const rest: Record<string, unknown> = { observedAt: record.observedAt };
  if (record.op === 'upsert') {
    rest.subject = record.subject;
    rest.data = record.data;
    // A compatible extension of spec section 2: receivers ignore members they do not know.
    if (record.provenance !== undefined) rest.provenance = record.provenance;
  }
  return [head, `,${JSON.stringify(rest).slice(1)}`];
}
