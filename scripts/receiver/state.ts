import { BatchLedger } from './batch-ledger.js';
import { FaultQueue } from './faults.js';
import { NonceWindow } from './nonce-window.js';
import { RecordStore } from './record-store.js';
import { ruleProblem } from './record-rules.js';
import type { Algorithm, BatchLogEntry, RawRecord, HeartbeatEntry, PendingConfig, ReceiverOptions, RejectRule, Stats } from './types.js';

export interface Settings {
  basePath: string;
  gateways: Record<string, string>;
  algorithms: Algorithm[];
  clockSkewMs: number;
  maxRecords: number;
  maxBytes: number;
  maxInflatedBytes: number;
  maxHeartbeats: number;
  /** The platform's clock: the machine's plus clockOffsetMs. */
  now: () => number;
  clockOffsetMs: number;
  onBatch: (entry: BatchLogEntry) => void;
  onRecord: (record: RawRecord) => void;
  keepData: boolean;
}

/** `/exchange/` and `exchange` both mean `/exchange`; `/` or '' means no base path. */
export function normaliseBasePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

export function settingsFrom(options: ReceiverOptions): Settings {
  const gateways = { ...options.gateways };
  if (Object.keys(gateways).length === 0) throw new TypeError('at least one gateway id and secret are needed');
  const algorithms = options.algorithms ?? ['sha256', 'sm3'];
  for (const a of algorithms) if (a !== 'sha256' && a !== 'sm3') throw new TypeError(`unknown algorithm ${String(a)}`);
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const machine = options.now ?? Date.now;
  const settings: Settings = {
    basePath: normaliseBasePath(options.basePath ?? '/exchange'),
    gateways,
    algorithms: [...algorithms],
    clockSkewMs: options.clockSkewMs ?? 300_000,
    maxRecords: options.maxRecords ?? 5000,
    maxBytes,
    maxInflatedBytes: options.maxInflatedBytes ?? Math.max(64 * maxBytes, 1 << 20),
    maxHeartbeats: options.maxHeartbeats ?? 1000,
    now: () => machine() + settings.clockOffsetMs,
    clockOffsetMs: clockOffset(options.clockOffsetMs ?? 0),
    onBatch: options.onBatch ?? (() => {}),
    onRecord: options.onRecord ?? (() => {}),
    keepData: options.keepData ?? true,
  };
  return settings;
}

/** A whole number of ms; the control API answers 400 with the message. */
export function clockOffset(value: unknown): number {
  if (!Number.isSafeInteger(value)) throw new TypeError('clockOffsetMs must be an integer number of milliseconds');
  return value as number;
}

type Counter = Exclude<keyof Stats, 'records'>;

/** Everything the receiver remembers; `reset()` returns it to how it started. */
export class ReceiverState {
  readonly records: RecordStore;
  readonly ledger: BatchLedger;
  readonly faults = new FaultQueue();
  readonly nonces: NonceWindow;
  private heartbeatLog: HeartbeatEntry[] = [];
  /** Per gateway, the highest seq of any record in a batch it processed (accepted or rejected). */
  private seqs = new Map<string, number>();
  private pending: { config: PendingConfig; gatewayId?: string }[] = [];
  private rules: RejectRule[];
  private counters: Record<Counter, number> = ReceiverState.zero();
  private readonly initialClockOffsetMs: number;

  constructor(
    readonly settings: Settings,
    private readonly initialRules: RejectRule[],
    maxBatchIds: number,
    maxLogEntries: number,
  ) {
    for (const rule of initialRules) {
      const problem = ruleProblem(rule);
      if (problem) throw new TypeError(problem);
    }
    this.rules = [...initialRules];
    this.records = new RecordStore(settings.keepData);
    this.initialClockOffsetMs = settings.clockOffsetMs;
    this.ledger = new BatchLedger(maxBatchIds, maxLogEntries);
    this.nonces = new NonceWindow(settings.clockSkewMs);
  }

  private static zero(): Record<Counter, number> {
    return {
      batches: 0, accepted: 0, rejected: 0, duplicates: 0, stale: 0,
      authFailures: 0, heartbeats: 0, malformed: 0, tooLarge: 0, faultsFired: 0,
    };
  }

  count(counter: Counter, by = 1): void {
    this.counters[counter] += by;
  }

  stats(): Stats {
    return { ...this.counters, records: this.records.size };
  }

  rejectRules(): RejectRule[] {
    return [...this.rules];
  }

  addRejectRules(rules: RejectRule[]): void {
    for (const rule of rules) {
      const problem = ruleProblem(rule);
      if (problem) throw new TypeError(problem);
    }
    this.rules.push(...rules);
  }

  clearRejectRules(): void {
    this.rules = [];
  }

  noteSeq(gatewayId: string, seq: number): void {
    if (seq > (this.seqs.get(gatewayId) ?? -Infinity)) this.seqs.set(gatewayId, seq);
  }

  /** The highest seq received from the gateway, undefined before its first batch. */
  lastSeq(gatewayId: string): number | undefined {
    return this.seqs.get(gatewayId);
  }

  recordHeartbeat(entry: HeartbeatEntry): void {
    this.heartbeatLog.push(entry);
    if (this.heartbeatLog.length > this.settings.maxHeartbeats) this.heartbeatLog.shift();
  }

  heartbeats(): HeartbeatEntry[] {
    return [...this.heartbeatLog];
  }

  queueConfig(config: PendingConfig, gatewayId?: string): void {
    if (!Number.isInteger(config.version) || typeof config.bundle !== 'string' || typeof config.signature !== 'string') {
      throw new TypeError('a config needs an integer version and base64 strings bundle and signature');
    }
    if (gatewayId !== undefined && typeof gatewayId !== 'string') throw new TypeError('gatewayId must be a string');
    this.pending.push({ config: { version: config.version, bundle: config.bundle, signature: config.signature }, gatewayId });
  }

  /** A queued config is handed out once, to the first heartbeat it is meant for. */
  takeConfig(gatewayId: string): PendingConfig | null {
    const i = this.pending.findIndex((p) => p.gatewayId === undefined || p.gatewayId === gatewayId);
    if (i < 0) return null;
    return this.pending.splice(i, 1)[0]!.config;
  }

  /** Puts the platform's clock this far from the machine's, from the next request on. */
  setClockOffset(ms: unknown): void {
    this.settings.clockOffsetMs = clockOffset(ms);
  }

  reset(): void {
    this.settings.clockOffsetMs = this.initialClockOffsetMs;
    this.records.clear();
    this.ledger.clear();
    this.faults.clear();
    this.nonces.clear();
    this.heartbeatLog = [];
    this.seqs.clear();
    this.pending = [];
    this.rules = [...this.initialRules];
    this.counters = ReceiverState.zero();
  }
}
