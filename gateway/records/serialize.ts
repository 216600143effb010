import { hash } from 'node:crypto';
import type { CandidateRecord } from '../model.js';
import { keyOrder, knownOrder, sortedCopyOf } from './key-order.js';

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
  const object = value as Record<string, unknown>;
  const order = knownOrder(object) ?? keyOrder(Object.keys(object));
  // A flat object (a record's data, its subject) copied in sorted order is written by JSON.stringify's
  // fast path, the same bytes as the loop below.
  const sorted = order.copyable ? sortedCopyOf(order)(object) : undefined;
  if (sorted !== undefined) return JSON.stringify(sorted);
  const keys = order.sorted;
  // A key list given to JSON.stringify takes its slow path, but writes a flat object's members in that order.
  if (!order.copyable && keys.every((key) => isScalar(object[key]))) return JSON.stringify(object, keys);
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

/** The object's sorted copy when it is flat and of a copyable shape, as canonical JSON writes it; otherwise undefined. */
function sortedFlat(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const object = value as Record<string, unknown>;
  const order = knownOrder(object) ?? keyOrder(Object.keys(object));
  return order.copyable ? sortedCopyOf(order)(object) : undefined;
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
  // The document's own keys sorted (data, op, provenance, subject), written out rather than sorted per record.
  if (typeof record.op !== 'string') return sha256Hex(canonicalJson(fingerprinted(record)));
  if (record.provenance === undefined) {
    // A record's data and subject are flat: their sorted copies, in the document's own sorted order, are
    // written by one JSON.stringify, the same bytes as below without a text put together and copied again.
    const data = record.data == null ? null : sortedFlat(record.data);
    const subject = record.subject == null ? null : sortedFlat(record.subject);
    if (data !== undefined && subject !== undefined) return sha256Hex(JSON.stringify({ data, op: record.op, subject }));
  }
  const provenance = record.provenance === undefined ? '' : `,"provenance":${canonicalJson(record.provenance)}`;
  return sha256Hex(`{"data":${canonicalJson(record.data ?? null)},"op":${JSON.stringify(record.op)}${provenance},"subject":${canonicalJson(record.subject ?? null)}}`);
}

function fingerprinted(record: Pick<CandidateRecord, 'op' | 'subject' | 'data' | 'provenance'>): Record<string, unknown> {
  const doc: Record<string, unknown> = { op: record.op, subject: record.subject ?? null, data: record.data ?? null };
  if (record.provenance !== undefined) doc.provenance = record.provenance;
  return doc;
}

/** One call, no Hash object: a record is hashed twice (its id, its fingerprint), and the object cost more than the hashing. */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
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
 * the seq's digits and what comes after. Head + seq + tail is byte for byte
 * the JSON.stringify of the whole line.
 */
export function recordLineParts(record: CandidateRecord): [string, string] {
  if (typeof record.observedAt !== 'string') {
    const head = `{"id":${JSON.stringify(record.id)},"category":${JSON.stringify(record.category)},"op":${JSON.stringify(record.op)},"seq":`;
    return [head, `,${JSON.stringify(lineRest(record)).slice(1)}`];
  }
  // The whole line written by one JSON.stringify with a seq of 0, then cut around that 0: the record's
  // text is written once, where a text put together member by member was copied again to be written out.
  // The first `,"seq":0` is the member's own: within a JSON string every `"` follows a backslash.
  // Provenance is a compatible extension of spec section 2: receivers ignore members they do not know.
  const { id, category, op, observedAt } = record;
  const line = JSON.stringify(
    op === 'upsert'
      ? { id, category, op, seq: 0, observedAt, subject: record.subject, data: record.data, provenance: record.provenance }
      : { id, category, op, seq: 0, observedAt },
  );
  const at = line.indexOf(',"seq":0') + 7;
  return [line.slice(0, at), line.slice(at + 1)];
}

/** The line's members after its seq, as an object (for a record read from elsewhere without its reading time). */
function lineRest(record: CandidateRecord): Record<string, unknown> {
  const rest: Record<string, unknown> = { observedAt: record.observedAt };
  if (record.op === 'upsert') {
    rest.subject = record.subject;
    rest.data = record.data;
    if (record.provenance !== undefined) rest.provenance = record.provenance;
  }
  return rest;
}
