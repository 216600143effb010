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

/** What decides whether a record changed: its operation, subject and data, not when it was read. */
export function fingerprint(record: Pick<CandidateRecord, 'op' | 'subject' | 'data'>): string {
  return createHash('sha256')
    .update(canonicalJson({ op: record.op, subject: record.subject ?? null, data: record.data ?? null }))
    .digest('hex');
}

/**
 * The record's line in a batch body (spec section 2), members in the spec's
 * order; a delete carries neither subject nor data.
 */
export function recordLine(record: CandidateRecord, seq: number): string {
  const line: Record<string, unknown> = {
    id: record.id,
    category: record.category,
    op: record.op,
    seq,
    observedAt: record.observedAt,
  };
  if (record.op === 'upsert') {
    line.subject = record.subject;
    line.data = record.data;
  }
  return JSON.stringify(line);
}
