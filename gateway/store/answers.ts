import type { PlatformRejection } from '../model.js';
import type { SeqRange } from './outbox.js';
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
  const range = outbox.range(batchId);
  if (!range) return { accepted: 0, rejected: 0, unknownIds: [] };
  rejections.supersedePlatform(range, result.at);
  const done = new Set<string>();
  const unknownIds: string[] = [];
  for (const rejection of result.rejected) {
    if (done.has(rejection.id)) continue;
    done.add(rejection.id);
    if (outbox.markRejected(range, rejection.id) === 0) {
      unknownIds.push(rejection.id);
      continue;
    }
    rejections.addPlatform(batchId, range, rejection.id, rejection.code, rejection.message, result.at);
  }
  return { ...settle(parts, batchId, range, result.at, now), unknownIds };
}

export function rejectWholeBatch(parts: StoreParts, batchId: string, code: string, message: string, at: string, now: Date): number {
  const { outbox, rejections } = parts;
  const range = outbox.range(batchId);
  if (!range) return 0;
  rejections.supersedePlatform(range, at);
  outbox.markAllRejected(range);
  rejections.addPlatform(batchId, range, null, code, message, at);
  return settle(parts, batchId, range, at, now).rejected;
}

/** The answer is recorded everywhere before the rows it was taken from go. */
function settle(parts: StoreParts, batchId: string, range: SeqRange, at: string, now: Date): { accepted: number; rejected: number } {
  parts.records.settle(range, at);
  const tally = parts.outbox.tally(range);
  parts.stats.answered(tally, validDate(at) ?? now);
  const outcome = { accepted: 0, rejected: 0 };
  for (const t of tally) {
    outcome.accepted += t.delivered;
    outcome.rejected += t.rejected;
  }
  parts.outbox.remove(batchId, range);
  return outcome;
}

function validDate(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
