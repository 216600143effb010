/**
 * Shapes shared by the reference receiver's modules. The receiver is written
 * from spec/platform-api.md alone and imports nothing from gateway/, so that a
 * misreading of the spec cannot hide on both sides of the wire.
 */

export type Algorithm = 'sha256' | 'sm3';

export type EndpointKind = 'batches' | 'heartbeat';

/** One JSON object parsed from a batch line, before any check. */
export type RawRecord = Record<string, unknown>;

export interface Subject {
  kind: string;
  name: string;
  code: string;
}

/** The latest version the receiver holds for one record id. */
export interface StoredRecord {
  id: string;
  category: string;
  op: 'upsert' | 'delete';
  seq: number;
  observedAt: string;
  subject: Subject | null;
  data: Record<string, string | number | null> | null;
  /**
   * Where an upsert's record came from (`{kind, system?, profile}`), as the
   * gateway sends it for exports read by profiles: a compatible extension of
   * spec section 2, which no check here reads. Kept as sent so tests can
   * read it back; absent when the record had none.
   */
  provenance?: Record<string, unknown>;
}

export interface Rejection {
  id: string | null;
  code: string;
  message: string;
}

/** A rejection a test asks for; every condition given must hold for the rule to fire. */
export interface RejectRule {
  category?: string;
  ids?: string[];
  field?: { code: string; equals: string | number | null };
  code: string;
  message: string;
}

/** What a 200 answer to a batch carries (spec section 2). */
export interface BatchResult {
  batchId: string;
  accepted: number;
  rejected: Rejection[];
  duplicate: boolean;
}

/** One line of the receiver's batch log: every batch request that got an answer, or was dropped. */
export interface BatchLogEntry {
  batchId: string | null;
  gatewayId: string | null;
  /** HTTP status answered; null when the connection was dropped or left hanging. */
  status: number | null;
  code: string | null;
  accepted: number;
  rejected: number;
  duplicate: boolean;
  stale: number;
  recordCount: number;
  receivedAt: string;
  fault: string | null;
}

export interface HeartbeatEntry {
  gatewayId: string;
  receivedAt: string;
  body: unknown;
  /** The config version handed out in the answer, if any. */
  configServed: number | null;
}

export interface PendingConfig {
  version: number;
  bundle: string;
  signature: string;
}

export interface Stats {
  batches: number;
  records: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  stale: number;
  authFailures: number;
  heartbeats: number;
  malformed: number;
  tooLarge: number;
  faultsFired: number;
}

/**
 * A fault the receiver injects into the next matching request. Status,
 * drop-before and hang fire before authentication, like a platform in trouble;
 * drop-after lets the request be processed and stored, then loses the answer.
 */
export interface Fault {
  /** Only requests to this endpoint consume the fault; any endpoint when absent. */
  path?: EndpointKind;
  /** How many requests the fault fires for before it leaves the queue (default 1). */
  times?: number;
  /** Wait this long first; alone it only slows the answer down. */
  delayMs?: number;
  status?: number;
  /** Seconds, sent as Retry-After with a status fault. */
  retryAfter?: number;
  body?: unknown;
  drop?: 'before' | 'after';
  hang?: boolean;
}

export interface ReceiverOptions {
  basePath?: string;
  gateways: Record<string, string>;
  algorithms?: Algorithm[];
  clockSkewMs?: number;
  /**
   * How far the receiver's clock runs from the machine's, in ms (negative:
   * behind): a platform whose clock is off, for tests of a gateway that must
   * notice it. Changed later by `setClockOffset` or `POST /_receiver/clock`.
   */
  clockOffsetMs?: number;
  maxRecords?: number;
  maxBytes?: number;
  /** The machine's clock, before clockOffsetMs is added. */
  now?: () => number;
  rejectRules?: RejectRule[];
  /** Called once per batch request with its log entry (the CLI prints it). */
  onBatch?: (entry: BatchLogEntry) => void;
  /** Called for each record as it is stored (not for a stale version), e.g. by a benchmark timing arrivals. */
  onRecord?: (record: RawRecord) => void;
  /**
   * false keeps only each record's id, op and seq, not its subject and data:
   * a benchmark's million records would otherwise fill the receiver's memory.
   */
  keepData?: boolean;
  /** Bounds for long demos: how many log lines, heartbeats and batch ids are kept. */
  maxLogEntries?: number;
  maxHeartbeats?: number;
  maxBatchIds?: number;
  /** Ceiling on a gzip body once inflated, so a small body cannot fill memory. */
  maxInflatedBytes?: number;
}
