import type { Batch, PlatformRejection } from '../model.js';

/**
 * The seams of delivery: what it needs from the store and from the HTTP
 * client. Declared here by the subset delivery calls, so tests can stand in
 * for either and the store owns its own full API.
 */

/** What one request to the platform came back with: an answer, or a failure to get one. */
export type PlatformResponse =
  | { status: number; headers: Record<string, string | undefined>; body: unknown }
  | { error: DeliveryFailure };

export interface DeliveryFailure {
  /** A DELIVERY_* code from the error catalogue. */
  code: string;
  message: string;
}

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
}

export interface DeliveryStore {
  /** The oldest open batch (same id and records after a restart), or a new one; null when nothing is queued. */
  nextBatch(limits: BatchLimits, newBatchId: () => string): Batch | null;
  /**
   * The batch that follows `batchId` (open already, or formed now), read while `batchId` is in flight;
   * null when nothing follows or `batchId` is gone. It becomes the oldest open batch once `batchId` is
   * answered and leaves. Optional: without it, each batch is read after the previous one was answered.
   */
  batchAfter?(batchId: string, limits: BatchLimits, newBatchId: () => string): Batch | null;
  recordAttempt(batchId: string, failure: { code: string; message: string; nextAttemptAt: string | null }): void;
  acknowledge(batchId: string, result: { rejected: PlatformRejection[]; at: string }): { accepted: number; rejected: number };
  rejectBatch(batchId: string, code: string, message: string, at: string): number;
  /** New batch ids, oldest first; [] when a batch of one cannot be split. */
  splitBatch(batchId: string, newBatchId: () => string): string[];
  queueStats(): { pending: number };
}

export interface BatchPoster {
  postBatch(batch: Batch, signal?: AbortSignal): Promise<PlatformResponse>;
  /** Makes the batch's body ahead of its postBatch (optional: postBatch makes it otherwise). */
  prepare?(batch: Batch): void;
}

/** The logger calls delivery makes; a pino logger (or a child) fits. */
export interface DeliveryLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
