import { join } from 'node:path';
import type { Test } from 'tap';
import pino from 'pino';
import { createReceiver, type Receiver } from '../../../scripts/receiver/receiver.js';
import type { ReceiverOptions } from '../../../scripts/receiver/types.js';
import { PlatformClient, type PlatformClientOptions } from '../../../gateway/delivery/client.js';
import type { DeliveryStore } from '../../../gateway/delivery/contract.js';
import { Deliverer, type DelivererOptions } from '../../../gateway/delivery/deliverer.js';
import type { DeliveryEvent } from '../../../gateway/delivery/events.js';
import type { CandidateRecord, Page } from '../../../gateway/model.js';
import { recordId } from '../../../gateway/records/record-id.js';
import { fingerprint } from '../../../gateway/records/serialize.js';
import { Store } from '../../../gateway/store/store.js';

export const GATEWAY = 'hs-rsj';
export const SECRET = 'hs-credit-demo-secret';
export const CATEGORY = 'P07-002';
export const silent = pino({ level: 'silent' });

/** An upsert the platform's own checks accept; the same key always gives the same id. */
export function rec(key: string, data: Record<string, string | number | null> = { NAME: `name ${key}` }): CandidateRecord {
  const subject = { kind: 'legal' as const, name: `黄石市某某有限公司${key}`, code: '91420200MA4KXXXXXC' };
  return {
    id: recordId(GATEWAY, CATEGORY, key), category: CATEGORY, key, op: 'upsert', subject, data,
    observedAt: '2026-11-26T08:00:00.000Z', fingerprint: fingerprint({ op: 'upsert', subject, data }),
  };
}

export const idOf = (key: string) => recordId(GATEWAY, CATEGORY, key);

export function page(records: CandidateRecord[], job = 'penalties'): Page {
  return { job, records, rejections: [], cursor: [records.length], rowsRead: records.length };
}

export function openStore(t: Test): Store {
  const store = Store.open({ file: join(t.testdir({}), 'gateway.sqlite') });
  t.teardown(() => store.close());
  return store;
}

export async function startReceiver(
  t: Test,
  options: Partial<ReceiverOptions> = {},
  port = 0,
): Promise<{ receiver: Receiver; url: string }> {
  const receiver = createReceiver({ gateways: { [GATEWAY]: SECRET }, ...options });
  const { url } = await receiver.listen(port, '127.0.0.1');
  t.teardown(() => receiver.close());
  return { receiver, url };
}

export function platformClient(t: Test, url: string, options: Partial<PlatformClientOptions> = {}): PlatformClient {
  const client = new PlatformClient({ url, gatewayId: GATEWAY, secret: SECRET, timeoutMs: 5000, logger: silent, ...options });
  t.teardown(() => client.close());
  return client;
}

/**
 * Stands in for real waiting: records every requested delay and returns at
 * once, unless the test set a hold, which keeps the wait open until the test
 * releases it (to look at the state mid-wait, or to fix the platform).
 */
export class FakeSleep {
  readonly delays: number[] = [];
  #hold: ((ms: number) => Promise<void>) | null = null;

  readonly sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    this.delays.push(ms);
    const hold = this.#hold;
    if (hold && !signal.aborted) {
      await Promise.race([hold(ms), new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
    }
    // Yield, so a loop that keeps failing cannot starve the test.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  /** Every wait from now on lasts until `fn(ms)` settles. */
  holdWith(fn: (ms: number) => Promise<void>): void {
    this.#hold = fn;
  }

  release(): void {
    this.#hold = null;
  }
}

/** Resolves when `check` holds; fails the wait (not the timing) after `ms`. */
export async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Harness {
  store: Store;
  deliverer: Deliverer;
  sleep: FakeSleep;
  events: DeliveryEvent[];
  /** Starts the loop and resolves once everything queued has been answered. */
  drain(): Promise<void>;
}

export function deliverer(t: Test, store: Store, client: PlatformClient, options: Partial<DelivererOptions> = {}): Harness {
  const sleep = new FakeSleep();
  const events: DeliveryEvent[] = [];
  const d = new Deliverer({
    store,
    client,
    limits: { maxRecords: 5000, maxBytes: 8 * 1024 * 1024 },
    backoff: { baseMs: 1000, maxMs: 60_000 },
    logger: silent,
    random: () => 0.5,
    sleep: sleep.sleep,
    onEvent: (e) => events.push(e),
    ...options,
  });
  t.teardown(() => d.stop());
  return {
    store,
    deliverer: d,
    sleep,
    events,
    async drain() {
      d.start();
      d.wake();
      await until(() => store.queueStats().pending === 0 && d.state().status === 'idle', 'the queue is empty');
    },
  };
}

/**
 * The store as the deliverer sees it, whose acknowledge throws `error` (with its SQLite `code`) the first
 * `times` times it is asked: an answer that cannot be recorded. With `readAhead`, it also reads the next
 * batch ahead (batchAfter), as the real store does.
 */
export function storeRefusingAnswers(store: Store, times: number, error: { message: string; code: string }, readAhead = false): DeliveryStore {
  let refusals = times;
  return {
    nextBatch: (l, id) => store.nextBatch(l, id),
    ...(readAhead ? { batchAfter: (after: string, l: Parameters<Store['batchAfter']>[1], id: () => string) => store.batchAfter(after, l, id) } : {}),
    recordAttempt: (id, f) => store.recordAttempt(id, f),
    rejectBatch: (...a) => store.rejectBatch(...a),
    splitBatch: (id, n) => store.splitBatch(id, n),
    queueStats: () => store.queueStats(),
    acknowledge: (id, r) => {
      if (refusals-- > 0) throw Object.assign(new Error(error.message), { code: error.code });
      return store.acknowledge(id, r);
    },
  };
}
