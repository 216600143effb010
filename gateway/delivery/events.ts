import type { DeliveryFailure } from './contract.js';

/**
 * What delivery reports as it goes, one typed event per thing that happened
 * to a batch, so logs, metrics and the status page count the same facts.
 */

/** A batch's records by catalog category: accepted by the platform, or refused (per record, or all of them). */
export type CategoryCounts = Record<string, { accepted: number; rejected: number }>;

export type DeliveryEvent =
  | {
      type: 'batch_delivered';
      batchId: string;
      records: number;
      accepted: number;
      rejected: number;
      duplicate: boolean;
      /** Attempts this batch took, this one included. */
      attempts: number;
      /** The answered POST's round trip, from sending to the platform's answer. */
      durationMs: number;
      categories: CategoryCounts;
    }
  | { type: 'batch_rejected'; batchId: string; records: number; code: string; message: string; categories: CategoryCounts }
  | { type: 'batch_split'; batchId: string; records: number; into: string[] }
  | {
      type: 'attempt_failed';
      batchId: string;
      records: number;
      attempt: number;
      reason: DeliveryFailure;
      /** retry: resent after the delay; pause_auth: delivery stops until the delay is over. */
      next: 'retry' | 'pause_auth';
      delayMs: number;
    };

/** Counts records by category; those whose id is in `rejectedIds` count as rejected, the rest as accepted. */
export function countByCategory(records: readonly { id: string; category: string }[], rejectedIds: ReadonlySet<string>): CategoryCounts {
  const counts: CategoryCounts = {};
  for (const r of records) {
    const c = (counts[r.category] ??= { accepted: 0, rejected: 0 });
    if (rejectedIds.has(r.id)) c.rejected += 1;
    else c.accepted += 1;
  }
  return counts;
}
