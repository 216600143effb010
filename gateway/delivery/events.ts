import type { DeliveryFailure } from './contract.js';

/**
 * What delivery reports as it goes, one typed event per thing that happened
 * to a batch, so logs, metrics and the status page count the same facts.
 */
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
    }
  | { type: 'batch_rejected'; batchId: string; records: number; code: string; message: string }
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
