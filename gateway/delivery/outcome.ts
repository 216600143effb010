import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { PlatformRejection } from '../model.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { DeliveryFailure, PlatformResponse } from './contract.js';

/**
 * What to do with a batch after one attempt: the response table of spec
 * section 2 as one pure function. Every answer ends in exactly one outcome:
 *
 * - done:         the platform processed the batch (possibly earlier: duplicate);
 *                 `rejected` lists the records it refused, kept locally, never resent.
 * - reject_batch: the whole batch is unusable; its records become rejections.
 * - pause_auth:   the platform refuses our signature or clock; stop and retry slowly.
 * - split:        the batch is too large; split it into new batches.
 * - retry:        resend the same batch (same id, same records) after delayMs.
 *
 * Where the table is silent, the choice is made to never lose or wrongly
 * reject a record: when in doubt, the batch stays queued and is resent with
 * back-off, and the reason shows on the status page. Resending is always safe
 * because the platform answers a known batch id with its first result.
 *
 * The platform's codes and messages are text from outside, free to quote a
 * record's values: they pass the identity-number net here, before they are
 * stored, shown, logged or counted.
 */

export type Outcome =
  | { kind: 'done'; rejected: PlatformRejection[]; duplicate: boolean }
  | { kind: 'reject_batch'; code: string; message: string }
  | { kind: 'pause_auth'; code: string; message: string; retryInMs: number }
  | { kind: 'split' }
  | { kind: 'retry'; delayMs: number; reason: DeliveryFailure };

export interface OutcomeContext {
  /** Number of this attempt for the batch: 1 for the first send. */
  attempt: number;
  batchSize: number;
  /** Unix ms, for Retry-After given as an HTTP date. */
  now: number;
  random: () => number;
  backoff: BackoffPolicy;
  /** How long to wait after a 401 before trying again (default 60 s). */
  authRetryMs?: number;
  /** Ceiling on a Retry-After the platform asks for (default 15 min). */
  maxRetryAfterMs?: number;
}

export const DEFAULT_AUTH_RETRY_MS = 60_000;
export const DEFAULT_MAX_RETRY_AFTER_MS = 15 * 60_000;

export function decideOutcome(response: PlatformResponse, context: OutcomeContext): Outcome {
  const backoff = (): number => backoffDelay(context.attempt, context.backoff, context.random);

  // Timeouts, refused or reset connections: we do not know whether the
  // platform processed the batch, so resend it under the same id.
  if ('error' in response) return { kind: 'retry', delayMs: backoff(), reason: response.error };

  const { status, headers, body } = response;

  if (status === 200) {
    const result = readBatchResult(body);
    // A 200 we cannot read may still have been processed; marking it done
    // would drop its per-record rejections (invariant 6). Resending the same
    // batch id returns the first result, so retry until it is readable.
    if (!result) {
      return { kind: 'retry', delayMs: backoff(), reason: { code: 'DELIVERY_BAD_RESPONSE', message: 'HTTP 200 without a readable batch result' } };
    }
    return { kind: 'done', ...result };
  }

  if (status === 400) {
    const err = readPlatformError(body);
    return { kind: 'reject_batch', code: err.code ?? 'BATCH_MALFORMED', message: err.message ?? 'the platform refused the batch as malformed' };
  }

  if (status === 401) {
    const err = readPlatformError(body);
    return {
      kind: 'pause_auth',
      code: err.code ?? 'AUTH_FAILED',
      message: err.message ?? 'the platform refused the request signature',
      retryInMs: context.authRetryMs ?? DEFAULT_AUTH_RETRY_MS,
    };
  }

  if (status === 413) {
    // One record alone is over the limit: splitting cannot help and resending
    // would loop forever, so it becomes a rejection the contact can see.
    if (context.batchSize <= 1) {
      const err = readPlatformError(body);
      return { kind: 'reject_batch', code: 'BATCH_TOO_LARGE', message: err.message ?? 'a single record is larger than the platform accepts' };
    }
    return { kind: 'split' };
  }

  if (status === 429 || status === 503) {
    const code = status === 429 ? 'DELIVERY_THROTTLED' : 'DELIVERY_SERVER_ERROR';
    const asked = parseRetryAfter(headers['retry-after'], context.now);
    if (asked === null) return { kind: 'retry', delayMs: backoff(), reason: { code, message: `HTTP ${status}` } };
    // A huge Retry-After (misconfiguration, or a date far ahead) would silence
    // delivery for days; retrying earlier only costs one more 429/503.
    const delayMs = Math.min(asked, context.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    return { kind: 'retry', delayMs, reason: { code, message: `HTTP ${status}, Retry-After ${headers['retry-after']}` } };
  }

  if (status >= 500 && status <= 599) {
    return { kind: 'retry', delayMs: backoff(), reason: { code: 'DELIVERY_SERVER_ERROR', message: `HTTP ${status}${describe(body)}` } };
  }

  // Any other status (403, 404, 405, 408, 3xx, a 2xx other than 200 …) is not
  // in the interface. It means a wrong URL, a proxy, or a gateway the platform
  // disabled: nothing is wrong with the records, so they are not rejected;
  // the batch stays queued, resent with back-off, and the status shows why.
  return { kind: 'retry', delayMs: backoff(), reason: { code: 'DELIVERY_UNEXPECTED_STATUS', message: `HTTP ${status}${describe(body)}` } };
}

/**
 * Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3), in ms from
 * `now`; null when absent or unreadable, so the caller backs off instead.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only a text with a month or weekday name is taken for a date: Date.parse
  // would read a bare "-1" or "1.5.3" as one.
  if (!/[A-Za-z]/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** The members of a 200 answer that matter to the store, or null when the body is not a batch result. */
export function readBatchResult(body: unknown): { rejected: PlatformRejection[]; duplicate: boolean } | null {
  if (!isObject(body)) return null;
  const rawRejected = body.rejected ?? [];
  if (!Array.isArray(rawRejected)) return null;
  const rejected: PlatformRejection[] = [];
  for (const item of rawRejected) {
    if (!isObject(item) || typeof item.id !== 'string' || typeof item.code !== 'string') return null;
    // A rejection without a message is still a rejection: keep its code.
    rejected.push({ id: item.id, code: maskIdNumbersIn(item.code), message: maskIdNumbersIn(typeof item.message === 'string' ? item.message : item.code) });
  }
  if (body.duplicate !== undefined && typeof body.duplicate !== 'boolean') return null;
  return { rejected, duplicate: body.duplicate === true };
}

function readPlatformError(body: unknown): { code?: string; message?: string } {
  if (!isObject(body)) return typeof body === 'string' && body.trim() ? { message: maskIdNumbersIn(body.trim().slice(0, 500)) } : {};
  return {
    code: typeof body.code === 'string' && body.code ? maskIdNumbersIn(body.code) : undefined,
    message: typeof body.message === 'string' && body.message ? maskIdNumbersIn(body.message) : undefined,
  };
}

function describe(body: unknown): string {
  const err = readPlatformError(body);
  const text = [err.code, err.message].filter(Boolean).join(': ');
  return text ? ` (${text})` : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
