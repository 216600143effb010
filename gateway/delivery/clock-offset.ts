/**
 * What one platform answer says about the platform's clock, as pure
 * functions. Every answer that carries time counts, refusals included: a
 * gateway whose clock is 600 s off is refused on every request, so an offset
 * learnt from successful heartbeats only would never be learnt at all.
 *
 * An answer tells the time in one of three ways, best first:
 *  - heartbeat: `serverTime` of a heartbeat answer (spec section 3), ms;
 *  - error_body: `serverTime` beside `code` in an error body (our compatible
 *    extension of the interface; the reference receiver sends it), ms;
 *  - date_header: the HTTP `Date` header any server sends (RFC 9110),
 *    whole seconds, which is plenty against a 300 s window.
 */

export type ClockEvidence = 'heartbeat' | 'error_body' | 'date_header';

export interface ClockSample {
  /** The platform's clock when it answered, Unix ms (the start of the second for a Date header). */
  serverMs: number;
  /** How much later than serverMs the platform's clock may really have been: 1 ms, or 1000 for a Date header. */
  resolutionMs: number;
  from: ClockEvidence;
}

/** The platform refuses a request whose timestamp is further than this from its clock (spec section 1). */
export const SIGNING_WINDOW_MS = 300_000;

/** The time an answer carries, or null when it carries none that can be read. */
export function readPlatformTime(
  answer: { status: number; headers: Record<string, string | undefined>; body: unknown },
  heartbeat: boolean,
): ClockSample | null {
  const serverTime = isObject(answer.body) && typeof answer.body.serverTime === 'string' ? Date.parse(answer.body.serverTime) : Number.NaN;
  if (!Number.isNaN(serverTime)) return { serverMs: serverTime, resolutionMs: 1, from: heartbeat && answer.status === 200 ? 'heartbeat' : 'error_body' };
  const date = answer.headers.date;
  // Date.parse would take a bare number for a year; an HTTP date always names its weekday and month.
  const at = date && /[A-Za-z]/.test(date) ? Date.parse(date) : Number.NaN;
  return Number.isNaN(at) ? null : { serverMs: at, resolutionMs: 1000, from: 'date_header' };
}

/**
 * The platform's clock minus ours, in ms, after one more answer. The platform
 * read its clock somewhere between our send and our receipt, so one answer
 * only bounds the offset to an interval; an estimate already inside it (say,
 * from a precise heartbeat) is kept, so a coarse Date header does not make
 * the shown offset jitter. Outside it, the clock moved (or ours was set):
 * the interval's middle is the new estimate.
 */
export function refineOffset(current: number | null, sample: ClockSample, sentAt: number, receivedAt: number): number {
  const lo = sample.serverMs - receivedAt;
  const hi = sample.serverMs + sample.resolutionMs - sentAt;
  if (current !== null && current >= lo && current <= hi) return current;
  return Math.round((lo + hi) / 2);
}

/**
 * Whether a 401 refused our timestamp rather than our secret: by its code
 * when the platform names the timestamp, or by the fact that the timestamp
 * we signed was outside the window of the clock the answer showed.
 */
export function isTimestampRefusal(status: number, body: unknown, signedSkewMs: number | null): boolean {
  if (status !== 401) return false;
  const code = isObject(body) && typeof body.code === 'string' ? body.code : '';
  if (/TIMESTAMP|CLOCK|TIME_?SKEW/i.test(code)) return true;
  return signedSkewMs !== null && Math.abs(signedSkewMs) > SIGNING_WINDOW_MS;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
