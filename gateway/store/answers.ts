import type { PlatformRejection } from '../model.js';
import type { StoreParts } from './parts.js';

export interface AckOutcome {
  accepted: number;
  rejected: number;
  /** Ids the platform named that the batch does not hold. */
  unknownIds: string[];
}

/**
 * Bodies of the transactions that record the platform's answer to a batch
 * (the caller runs each inside one). A batch that is gone was answered
 * before: nothing changes.
 */
export function acknowledgeBatch(
  parts: StoreParts, batchId: string, result: { rejected: PlatformRejection[]; at: string }, now: Date,
): AckOutcome {
  const { outbox, rejections } = parts;
  if (!outbox.has(batchId)) return { accepted: 0, rejected: 0, unknownIds: [] };
  rejections.supersedePlatform(batchId, result.at);
  const done = new Set<string>();
  const unknownIds: string[] = [];
  for (const rejection of result.rejected) {
    if (done.has(rejection.id)) continue;
    done.add(rejection.id);
    if (outbox.markRejected(batchId, rejection.id) === 0) {
      unknownIds.push(rejection.id);
      continue;
    }
    rejections.addPlatform(batchId, rejection.id, rejection.code, rejection.message, result.at);
  }
  return { ...settle(parts, batchId, result.at, now), unknownIds };
}

export function rejectWholeBatch(parts: StoreParts, batchId: string, code: string, message: string, at: string, now: Date): number {
  const { outbox, rejections } = parts;
  if (!outbox.has(batchId)) return 0;
  rejections.supersedePlatform(batchId, at);
  outbox.markAllRejected(batchId);
  rejections.addPlatform(batchId, null, code, message, at);
  return settle(parts, batchId, at, now).rejected;
}

/** The answer is recorded everywhere before the rows it was taken from go. */
function settle(parts: StoreParts, batchId: string, at: string, now: Date): { accepted: number; rejected: number } {
  parts.records.settle(batchId, at);
  parts.stats.answered(batchId, validDate(at) ?? now);
  const outcome = parts.outbox.outcome(batchId);
  parts.outbox.remove(batchId);
  return outcome;
}

function validDate(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
