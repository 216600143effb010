/**
 * Exponential back-off with full jitter: the delay is drawn uniformly from
 * [0, min(maxMs, baseMs * 2^(attempt-1))). Full jitter spreads the gateways
 * of a whole city apart after a platform outage instead of having them all
 * come back in the same second.
 */

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** @param attempt 1 for the first failure of a batch, 2 for the second … */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * backoffCeiling(attempt, policy));
}
