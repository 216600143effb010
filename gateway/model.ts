/**
 * Values that travel between the gateway's parts. Pure data, no behaviour.
 */
import type { CursorPosition, Value } from '../connectors/contract.js';

export type SubjectKind = 'legal' | 'natural' | 'individual_business';

export interface Subject {
  kind: SubjectKind;
  name: string;
  code: string;
}

export type RecordData = Record<string, Value>;

/**
 * Where a record read from an export came from: a national or provincial
 * system, data returned by an upper-level department (上级部门返还), or the
 * department's own; and the profile that read it. Records of database jobs
 * and template files carry none.
 */
export interface Provenance {
  kind: 'system' | 'returned' | 'own';
  /** The system, or for returned data the department or system it came back from. */
  system?: string;
  profile: string;
}

/** A mapped, validated record as produced by a job, before it gets a seq. */
export interface CandidateRecord {
  /** sha256(gatewayId \n category \n key) per spec section 2. */
  id: string;
  category: string;
  /** Source key values joined by \u001f. */
  key: string;
  op: 'upsert' | 'delete';
  subject?: Subject;
  data?: RecordData;
  observedAt: string;
  /** sha256 hex of the canonical JSON of {op, subject, data} (and provenance, when there is one): decides "changed". */
  fingerprint: string;
  /** Set on records read by a profile (gateway/profiles/); sent with upserts. */
  provenance?: Provenance;
  /** Non-blocking findings that travel with the record (kept locally). */
  warnings?: Finding[];
}

/** One reason a row failed (or only warned on) a check. */
export interface Finding {
  field: string;
  /** Stable reason code, e.g. ID_CHECK_DIGIT. */
  code: string;
  /** Chinese message a clerk understands. */
  message: string;
}

/** A row that failed mapping or validation: it never leaves the gateway. */
export interface LocalRejection {
  category: string;
  key: string;
  /** Record id it would have had (so a later fix can resolve it). */
  recordId: string;
  findings: Finding[];
  observedAt: string;
  /** Whom the row is about, as read (kind null when unreadable): the status page shows the code masked when it is a person's. */
  subject?: { kind: string | null; code: string } | null;
}

export interface Page {
  job: string;
  records: CandidateRecord[];
  rejections: LocalRejection[];
  /** Cursor to store after this page; null for "unchanged". */
  cursor: CursorPosition | null;
  rowsRead: number;
  /**
   * The records' batch lines, made on a mapping thread, which then sends the
   * records without subject, data or provenance: the lines hold them.
   */
  lines?: PageLines;
}

/**
 * Each record's line without its seq's digits (records/serialize.ts,
 * recordLineParts), in the page's record order, joined by "\n" and deflated
 * as one stream (store/outbox-chunks.ts): lines of one job share most of
 * their text, which per-line compression could not use.
 */
export interface PageLines {
  deflated: Uint8Array;
  /** UTF-8 bytes of each line without its seq's digits. */
  bytes: number[];
  /**
   * Each record's id, then its fingerprint, as the store keeps them (their 32 bytes, store/record-ids.ts),
   * 64 bytes a record in the page's record order; absent unless every one is sha256 hex. Made where the
   * lines are, so the thread that commits the page does not decode them.
   */
  stored?: Uint8Array;
}

export interface PageResult {
  queued: number;
  unchanged: number;
  rejected: number;
  /** The same counts per category (a file or a job may hold more than one), for events and metrics; `deleted` counts queued deletes. */
  categories?: Record<string, { read: number; queued: number; unchanged: number; rejected: number; deleted: number }>;
}

/** A record as stored in the outbox, with its seq: the exact line that is sent. */
export interface OutboxRecord {
  seq: number;
  id: string;
  category: string;
  op: 'upsert' | 'delete';
  /** The record's JSON line exactly as it goes into the batch body (no trailing newline). */
  line: string;
  /**
   * Where the same line is as UTF-8, when the store has it in bytes it shares with other lines (a page's
   * chunk), without its seq's digits. The batch body is copied from these without decoding or viewing
   * each line (`line` is made only when read).
   */
  lineBytes?: LineBytes;
}

/** A line in `buffer` without its seq's digits: from `start` to `mid` what comes before them, from `mid` to `end` what follows. */
export interface LineBytes {
  readonly buffer: Buffer;
  readonly start: number;
  readonly mid: number;
  readonly end: number;
}

export interface Batch {
  batchId: string;
  records: OutboxRecord[];
  attempts: number;
  createdAt: string;
}

export interface PlatformRejection {
  id: string;
  code: string;
  message: string;
}
