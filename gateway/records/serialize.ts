import { hash } from 'node:crypto';
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
  const object = value as Record<string, unknown>;
  const order = knownOrder(object) ?? keyOrder(Object.keys(object));
  const keys = order.sorted;
  if (keys.every((key) => isScalar(object[key]))) {
    // A flat object (a record's data, its subject) copied in sorted order is written by JSON.stringify's
    // fast path, the same bytes as the loop below; a key list given to JSON.stringify takes its slow path.
    if (!order.copyable) return JSON.stringify(object, keys);
    // A copy of the shape's template has its keys already, in order: filling them in keeps it a fast
    // object, where one given 20-odd keys one by one becomes a dictionary that stringifies slower.
    const sorted: Record<string, unknown> = { ...(order.template ??= templateOf(keys)) };
    for (let i = 0; i < keys.length; i++) sorted[keys[i]!] = object[keys[i]!];
    return JSON.stringify(sorted);
  }
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

interface KeyOrder {
  given: readonly string[];
  /** By UTF-16 code units, as `<` on strings and the default sort order them. */
  sorted: string[];
  /**
   * Whether an object built in sorted order lists its keys in that order:
   * not when a key is an array index (those come first, in numeric order) or
   * `__proto__` (which sets the prototype rather than a member).
   */
  copyable: boolean;
  /** An object with the sorted keys (values null), made fast by a spread: what a sorted copy starts from. */
  template?: Record<string, unknown>;
}

function templateOf(keys: readonly string[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of keys) object[key] = null;
  return { ...object };
}

/**
 * Every record of a job has the same few key lists (its data, its subject,
 * the fingerprinted document): each is sorted once, not once per record.
 * The lists kept are few and small; a list not seen lately is sorted anew.
 */
const SHAPES = 8;
const shapes: KeyOrder[] = [];

function keyOrder(given: readonly string[]): KeyOrder {
  for (const known of shapes) if (sameKeys(known.given, given)) return known;
  const sorted = [...given].sort();
  const order = { given, sorted, copyable: !sorted.some((key) => key === '__proto__' || isArrayIndex(key)) };
  if (shapes.length === SHAPES) shapes.pop();
  shapes.unshift(order);
  return order;
}

/**
 * The order of a shape already seen, recognised by walking the object's keys in place: every record's data
 * and subject come here, and Object.keys would make a list of them each time.
 */
function knownOrder(object: Record<string, unknown>): KeyOrder | undefined {
  for (let s = 0; s < shapes.length; s++) if (hasKeys(object, shapes[s]!.given)) return shapes[s];
  return undefined;
}

/**
 * Whether the object's own enumerable keys are `keys`, in that order. for…in lists an object's own keys
 * first, in Object.keys order, then any enumerable ones it inherits: when the last key listed is its
 * own, so are all before it, and one owner check does for all.
 */
export function hasKeys(object: Record<string, unknown>, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in object) {
    if (keys[i] !== key) return false;
    i++;
  }
  return i === keys.length && (i === 0 || Object.hasOwn(object, keys[i - 1]!));
}

/** The same keys in the same order: how a per-shape memo recognises an object's key list. */
export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
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
 * the seq's digits and what comes after. Written member by member as
 * JSON.stringify writes an object, so head + seq + tail is byte for byte the
 * JSON.stringify of the whole line.
 */
export function recordLineParts(record: CandidateRecord): [string, string] {
  const head = `{"id":${JSON.stringify(record.id)},"category":${JSON.stringify(record.category)},"op":${JSON.stringify(record.op)},"seq":`;
  // Member by member, as JSON.stringify writes an object (one without a value leaves no member):
  // no object to build and no copy of the whole text to cut its opening brace.
  if (typeof record.observedAt !== 'string') return [head, `,${JSON.stringify(lineRest(record)).slice(1)}`];
  let tail = `,${member('observedAt', record.observedAt, true)}`;
  if (record.op === 'upsert') {
    tail += member('subject', record.subject) + member('data', record.data);
    // A compatible extension of spec section 2: receivers ignore members they do not know.
    tail += member('provenance', record.provenance);
  }
  return [head, `${tail}}`];
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

/** `,"name":value`, or nothing for a value JSON.stringify leaves out of an object (undefined, a function). */
function member(name: string, value: unknown, first = false): string {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? '' : `${first ? '' : ','}"${name}":${json}`;
}
