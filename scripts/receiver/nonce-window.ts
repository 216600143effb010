/**
 * Nonces seen inside the clock-skew window, per gateway. A nonce only needs
 * remembering until its request's timestamp leaves the window: after that the
 * timestamp check refuses a replay anyway, which keeps memory bounded by the
 * traffic of one window.
 */
export class NonceWindow {
  private readonly expiries = new Map<string, number>();
  private lastPruneMs = -Infinity;

  constructor(private readonly skewMs: number) {}

  /** Records the nonce; false when it was already used inside the window. */
  use(gatewayId: string, nonce: string, timestampMs: number, nowMs: number): boolean {
    this.prune(nowMs);
    const key = `${gatewayId}\n${nonce}`;
    if (this.expiries.has(key)) return false;
    this.expiries.set(key, timestampMs + this.skewMs);
    return true;
  }

  clear(): void {
    this.expiries.clear();
    this.lastPruneMs = -Infinity;
  }

  get size(): number {
    return this.expiries.size;
  }

  // At most once a second: a full sweep per request would cost quadratic time under load.
  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < 1000 && nowMs >= this.lastPruneMs) return;
    this.lastPruneMs = nowMs;
    for (const [key, expiry] of this.expiries) {
      if (expiry < nowMs) this.expiries.delete(key);
    }
  }
}
