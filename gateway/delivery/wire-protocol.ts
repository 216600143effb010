/**
 * What the gateway's main thread and its delivery thread (wire-thread.ts,
 * wire-worker.ts) say to each other. Bodies cross as NDJSON bytes, moved
 * rather than copied; answers and failures cross as the values the client
 * returns.
 */
import type { PlatformResponse } from './contract.js';
import type { HeartbeatBody } from './heartbeat-body.js';
import type { HeartbeatResult, PlatformClientOptions } from './client.js';
import type { PlatformClockView } from './platform-clock.js';

/** The client's options as data: the logger, clock and nonce stay with the thread. */
export type WireInit = Omit<PlatformClientOptions, 'logger' | 'now' | 'nonce'>;

export type WireRequest =
  /** Compress these NDJSON bytes now, for a later post under the same token. */
  | { op: 'prepare'; token: number; raw: Uint8Array }
  | { op: 'post'; id: number; token: number; batchId: string; records: number }
  | { op: 'heartbeat'; id: number; body: HeartbeatBody }
  /** The request `id` is cancelled (the gateway is stopping): it answers DELIVERY_ABORTED. */
  | { op: 'abort'; id: number }
  /** Pooled connections closed, requests in flight allowed to finish; then `closed`. */
  | { op: 'close' }
  /** A prepared body no post will use (its batch went another way). */
  | { op: 'forget'; token: number };

export type WireReply =
  | { type: 'answer'; id: number; response: PlatformResponse | HeartbeatResult; clock: PlatformClockView }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: object; msg?: string }
  | { type: 'closed' };
