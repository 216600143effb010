import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { DeliveryLogger } from './contract.js';
import { isTimestampRefusal, readPlatformTime, refineOffset, type ClockEvidence } from './clock-offset.js';

/**
 * The platform's clock as this gateway knows it, learnt from every answer
 * (clock-offset.ts), and the correction it signs with.
 *
 * Signing with the corrected time (this machine's clock plus the learnt
 * offset) is what well-known SDKs do after a clock-skew refusal: delivery
 * recovers by itself while the status page keeps saying that this
 * machine's clock is wrong. It is bounded:
 *  - it is learnt only from answers to this gateway's own signed requests
 *    to the configured platform URL (over its TLS and CA in production);
 *  - it changes only after a heartbeat answer or a refusal for the
 *    timestamp, never after an ordinary batch answer, and every change is
 *    logged with the evidence;
 *  - the timestamp only serves the platform's replay window, and the nonce
 *    still makes every request unique: signing on the platform's clock is
 *    what the protocol expects of a gateway with a right clock, so it opens
 *    nothing a right clock does not. A wrong correction can at worst bring
 *    one more refusal, which carries the platform's time and sets it right.
 */

export interface PlatformClockView {
  /** The platform's clock minus this machine's, in ms; null until an answer told the time. */
  offsetMs: number | null;
  from: ClockEvidence | null;
  measuredAt: string | null;
  /** Added to this machine's clock for X-Timestamp; 0 until a heartbeat or a refusal taught otherwise. */
  correctionMs: number;
  /** The last refusal for the timestamp, until the platform accepts a timestamp again (a 200, or a 401 for another reason). */
  refusal: { code: string; message: string; at: string } | null;
}

export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** Smaller differences between the correction and the offset are left alone: measurement noise, not a clock that moved. */
const CORRECTION_STEP_MS = 1000;

export class PlatformClock {
  readonly #now: () => number;
  readonly #logger: DeliveryLogger;
  #offsetMs: number | null = null;
  #from: ClockEvidence | null = null;
  #measuredAt: number | null = null;
  #correctionMs = 0;
  #refusal: PlatformClockView['refusal'] = null;

  constructor(options: { now: () => number; logger: DeliveryLogger }) {
    this.#now = options.now;
    this.#logger = options.logger;
  }

  /** X-Timestamp for a request about to be signed, and the correction it carries. */
  stamp(): { timestamp: number; correctionMs: number } {
    const correctionMs = this.#correctionMs;
    return { timestamp: this.#now() + correctionMs, correctionMs };
  }

  /**
   * Learns from one answer to a request signed with `correctionMs`. True
   * when the answer refused that request for its timestamp and the
   * correction in effect now differs from the one it was signed with (this
   * answer taught it, or a concurrent one did): signing it again, once, on
   * the platform's time may succeed.
   */
  observe(answer: Answer, request: { sentAt: number; receivedAt: number; correctionMs: number; heartbeat: boolean }): boolean {
    const sample = readPlatformTime(answer, request.heartbeat);
    if (sample) {
      this.#offsetMs = refineOffset(this.#offsetMs, sample, request.sentAt, request.receivedAt);
      this.#from = sample.from;
      this.#measuredAt = request.receivedAt;
    }
    const signedSkewMs = sample && this.#offsetMs !== null ? request.correctionMs - this.#offsetMs : null;
    const refused = isTimestampRefusal(answer.status, answer.body, signedSkewMs);
    if (refused) {
      const err = readError(answer.body);
      this.#refusal = { code: err.code, message: err.message, at: new Date(request.receivedAt).toISOString() };
      this.#logger.warn({ code: err.code, clockOffsetMs: this.#offsetMs, signedWithCorrectionMs: request.correctionMs }, 'the platform refused the request timestamp: this machine\'s clock is off');
    } else if (answer.status === 200 || answer.status === 401) {
      // Accepted, or refused for something else: either way the timestamp passed.
      this.#refusal = null;
    }
    const heartbeatAnswered = sample?.from === 'heartbeat';
    if ((refused || heartbeatAnswered) && this.#offsetMs !== null && Math.abs(this.#offsetMs - this.#correctionMs) > CORRECTION_STEP_MS) {
      const previous = this.#correctionMs;
      this.#correctionMs = this.#offsetMs;
      this.#logger.warn(
        { correctionMs: this.#correctionMs, previousCorrectionMs: previous, evidence: sample?.from, status: answer.status },
        'signing with the platform\'s time from now on; this machine\'s clock still needs to be set right (NTP)',
      );
    }
    return refused && Math.abs(this.#correctionMs - request.correctionMs) > CORRECTION_STEP_MS;
  }

  view(): PlatformClockView {
    return {
      offsetMs: this.#offsetMs,
      from: this.#from,
      measuredAt: this.#measuredAt === null ? null : new Date(this.#measuredAt).toISOString(),
      correctionMs: this.#correctionMs,
      refusal: this.#refusal && { ...this.#refusal },
    };
  }
}

function readError(body: unknown): { code: string; message: string } {
  const o = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return {
    code: typeof o.code === 'string' && o.code ? maskIdNumbersIn(o.code.slice(0, 64)) : 'AUTH_TIMESTAMP',
    // Text from outside, shown on the page: through the identity-number net.
    message: typeof o.message === 'string' && o.message ? maskIdNumbersIn(o.message.slice(0, 500)) : 'the platform refused the request timestamp',
  };
}
