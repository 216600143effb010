/**
 * Shapes the store hands to the status page, the heartbeat and the job
 * runner. Pure data.
 */

/**
 * What happened to rows and records. For a job, `rowsRead` is what its source
 * returned; for a category it counts the rows that became a record or a local
 * rejection of that category (a job may read rows its mapping skips).
 */
export interface Counters {
  rowsRead: number;
  /** Records put in the outbox: new, changed, or deleted at the source. */
  queued: number;
  /** Records read again with the fingerprint already stored: not re-sent. */
  unchanged: number;
  /** Rows that failed mapping or validation (one per row, however many findings). */
  rejectedLocal: number;
  /** Records the platform acknowledged as accepted. */
  delivered: number;
  /** Records the platform refused, one by one or as a malformed batch. */
  rejectedPlatform: number;
}

/** Counts of acknowledged records in the current hour and the 23 before it. */
export interface Last24h {
  delivered: number;
  rejected: number;
}

/** "today" is the calendar day of the gateway machine's local time. */
export interface JobStats {
  job: string;
  today: Counters;
  total: Counters;
}

export interface CategoryStats {
  category: string;
  today: Counters;
  total: Counters;
  lastDeliveredAt: string | null;
  last24h: Last24h;
}

export interface Totals {
  today: Counters;
  total: Counters;
  lastDeliveredAt: string | null;
  last24h: Last24h;
}

export interface QueueStats {
  /** Records waiting in the outbox, in open batches or not yet batched. */
  pending: number;
  /** When the oldest waiting record was queued. */
  oldestPendingAt: string | null;
  openBatches: number;
  /** The newest failed attempt among the batches still open: null once they are delivered. */
  lastAttemptError: { code: string; message: string; at: string } | null;
}

export type RejectionSource = 'local' | 'platform';

export interface RejectionRow {
  id: number;
  source: RejectionSource;
  job: string;
  category: string;
  recordId: string;
  key: string;
  /** The field a local finding is about; null for platform rejections. */
  field: string | null;
  code: string;
  message: string;
  at: string;
  /** The batch a platform rejection answered; null for local ones. */
  batchId: string | null;
  /**
   * When the finding stopped being current: the row passed its checks, a later
   * version of the record was accepted, or a later rejection replaced it.
   */
  resolvedAt: string | null;
  /** When the contact asked for the record to be read again after fixing it at the source; null otherwise. */
  resendRequestedAt: string | null;
  /** Whom the rejected row is about, as read (legal, natural, individual_business, or null when unreadable). */
  subjectKind: string | null;
  /** The subject's code as read: shown masked when it is a person's identity number. */
  subjectCode: string | null;
}

export interface RejectionFilter {
  category?: string;
  job?: string;
  source?: RejectionSource;
  code?: string;
  openOnly?: boolean;
  /** ISO timestamps, inclusive, compared with `at`; an offset such as +08:00 is honoured. */
  from?: string;
  to?: string;
  /** Case-insensitive (for Latin letters) substring of the record key, matched literally. */
  q?: string;
}

/** One reason rejections share (store.rejectionReasons): how many rows, and one row's message as it was stored. */
export interface RejectionReason {
  source: RejectionSource;
  code: string;
  field: string | null;
  count: number;
  /** The newest matching row's message: identity numbers in it are masked only when shown. */
  example: string;
}

export interface RejectionPage extends RejectionFilter {
  /** Default 50, at most 1000. */
  limit?: number;
  offset?: number;
}

export interface JobState {
  job: string;
  lastRunStartedAt: string | null;
  /** When the last run finished. */
  lastRunAt: string | null;
  lastRunOk: boolean | null;
  lastSuccessAt: string | null;
  /** The newest failure, kept after later successes; current when lastRunOk is false. */
  lastError: { code: string; message: string; at: string } | null;
}

/** A department's statement that a category has no data for a reporting period (see gateway/status/coverage.ts). */
export interface NoDataDeclaration {
  category: string;
  /** The period as coverage names it: 2026-11-27, 2026-W48, 2026-11, 2026-Q4, 2026. */
  period: string;
  at: string;
  by: string | null;
  note: string | null;
}

export interface RunOutcome {
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  error: { code: string; message: string } | null;
}

/** A record the store holds for a job, as snapshot runs need it to send deletes. */
export interface KnownRecord {
  id: string;
  category: string;
  key: string;
}
