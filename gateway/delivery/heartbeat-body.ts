import { maskIdNumbersIn } from '../identifiers/mask.js';
import type { DeliveryFailure } from './contract.js';

/**
 * The heartbeat's wire format (spec section 3): what the gateway reports and
 * what the platform answers.
 */

export interface HeartbeatBody {
  gatewayId: string;
  softwareVersion: string;
  configVersion: number;
  startedAt: string;
  queue: { pending: number; oldestPendingAt: string | null; rejected: number };
  sources: HeartbeatSource[];
  categories: HeartbeatCategory[];
  /** The outcome of the last bundle the gateway tried; null before any bundle was applied. */
  configApply: { version: number; status: 'applied' | 'rejected' | 'rolled_back'; message: string } | null;
}

export interface HeartbeatSource {
  name: string;
  state: 'ok' | 'error' | 'disabled';
  lastSuccessAt: string | null;
  lastError: string | null;
  /**
   * Extension of spec section 3 (optional, present only when not empty):
   * what makes the department's page say 需关注 about this source while it
   * still reads, e.g. an account that can write.
   */
  warnings?: { code: string; message: string }[];
}

export interface HeartbeatCategory {
  code: string;
  lastDeliveredAt: string | null;
  delivered24h: number;
  rejected24h: number;
}

/** A signed configuration bundle offered by the platform; checked by control, not here. */
export interface ConfigOffer {
  version: number;
  bundle: string;
  signature: string;
}

export interface HeartbeatReply {
  serverTime: string;
  config: ConfigOffer | null;
  /**
   * Extension of spec section 3 (README, "Extensions to the platform
   * interface"): the highest seq the platform has received from this gateway.
   * Absent from platforms that do not send it, and when not a whole number.
   */
  lastSeq?: number;
}

export function readHeartbeatReply(status: number, body: unknown): HeartbeatReply | { error: DeliveryFailure } {
  if (status === 401) {
    const detail = isObject(body) && typeof body.code === 'string' ? `${body.code}${typeof body.message === 'string' ? `: ${body.message}` : ''}` : 'HTTP 401';
    // The platform's text is from outside and may quote a record: masked before it is shown or logged.
    return { error: { code: 'DELIVERY_AUTH', message: maskIdNumbersIn(detail) } };
  }
  if (status === 429) return { error: { code: 'DELIVERY_THROTTLED', message: 'HTTP 429' } };
  if (status >= 500) return { error: { code: 'DELIVERY_SERVER_ERROR', message: `HTTP ${status}` } };
  if (status !== 200) return { error: { code: 'DELIVERY_UNEXPECTED_STATUS', message: `HTTP ${status}` } };
  const bad = (why: string) => ({ error: { code: 'DELIVERY_BAD_RESPONSE', message: `heartbeat answer ${why}` } });
  if (!isObject(body) || typeof body.serverTime !== 'string' || Number.isNaN(Date.parse(body.serverTime))) {
    return bad('has no readable serverTime');
  }
  const lastSeq = Number.isSafeInteger(body.lastSeq) && (body.lastSeq as number) >= 0 ? { lastSeq: body.lastSeq as number } : {};
  const config = body.config ?? null;
  if (config === null) return { serverTime: body.serverTime, config: null, ...lastSeq };
  if (
    !isObject(config) ||
    !Number.isSafeInteger(config.version) ||
    typeof config.bundle !== 'string' ||
    typeof config.signature !== 'string'
  ) {
    return bad('has a config that is not {version, bundle, signature}');
  }
  return {
    serverTime: body.serverTime,
    config: { version: config.version as number, bundle: config.bundle, signature: config.signature },
    ...lastSeq,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
