/**
 * The platform client on a thread of its own (wire-worker.ts). A request
 * to the platform needs several turns of the event loop (the body
 * compressed, sent, the answer's head and body read), and on the main
 * thread each turn waited for the page transaction or batch in progress:
 * measured on a 100,000-row run, a batch took 2–4.5 s to be answered while
 * pages were read, against 0.3 s after, so delivery hardly moved until
 * reading ended. Here the request runs on its own loop and the main thread
 * only hands over the body's bytes and reads the answer.
 *
 * Same contract as PlatformClient: settings are checked here, at once;
 * every outcome is a value, never a throw. A thread that dies answers every
 * request it held with DELIVERY_THREAD_FAILED (the batch is resent as it
 * was), and the next request starts a new one.
 */
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { siblingWorker } from '../../connectors/worker-module.js';
import type { Batch } from '../model.js';
import { ndjson } from './batch-body.js';
import type { HeartbeatResult, PlatformClientOptions } from './client.js';
import type { BatchPoster, DeliveryLogger, PlatformResponse } from './contract.js';
import type { HeartbeatBody } from './heartbeat-body.js';
import type { HeartbeatClient } from './heartbeat.js';
import { PlatformClock, type PlatformClockView } from './platform-clock.js';
import { platformSettings } from './platform-settings.js';
import type { WireInit, WireReply, WireRequest } from './wire-protocol.js';

/** What the gateway needs of its link to the platform. */
export interface PlatformLink extends BatchPoster, HeartbeatClient {
  clock(): PlatformClockView;
  close(): Promise<void>;
}

type Answer = PlatformResponse | HeartbeatResult;

/** Bodies made ahead and kept for their post: the deliverer's one batch ahead, and one to spare. */
const HELD_BODIES = 2;
/** How long close() waits for the thread to close its connections. */
const CLOSE_GRACE_MS = 5000;

export class WireThread implements PlatformLink {
  readonly #init: WireInit;
  readonly #logger: DeliveryLogger;
  #worker: Worker | null = null;
  /** Bumped when a thread ends: bodies prepared on it are gone with it. */
  #generation = 0;
  readonly #prepared = new WeakMap<Batch, { token: number; generation: number }>();
  /**
   * Tokens of bodies the thread holds for a post to come, oldest first. The deliverer prepares one
   * batch ahead, and drops it when the answer before did not settle it (it reads the batch again):
   * older bodies are let go, so that bodies no post takes do not pile up in the thread.
   */
  #held: number[] = [];
  readonly #pending = new Map<number, (answer: Answer) => void>();
  #next = 0;
  #clock: PlatformClockView;
  #closing: (() => void) | null = null;

  readonly #limits: ResourceLimits | undefined;

  /** `limits`: bounds on the thread's heap (Node's resourceLimits); a thread that exceeds them ends (DELIVERY_THREAD_FAILED). */
  constructor(options: PlatformClientOptions, limits?: ResourceLimits) {
    const { pems } = platformSettings(options);
    this.#limits = limits;
    const { logger, now, nonce, caFile, clientCertFile, clientKeyFile, ...rest } = options;
    this.#init = { ...rest, pems };
    this.#logger = logger;
    this.#clock = new PlatformClock({ now: Date.now, logger }).view();
  }

  /** Hands the batch's body to the thread now, which compresses it while the batch before is answered. */
  prepare(batch: Batch): void {
    const token = this.#handOver(batch);
    this.#prepared.set(batch, { token, generation: this.#generation });
    this.#held.push(token);
    while (this.#held.length > HELD_BODIES) this.#worker?.postMessage({ op: 'forget', token: this.#held.shift()! } satisfies WireRequest);
  }

  postBatch(batch: Batch, signal?: AbortSignal): Promise<PlatformResponse> {
    const made = this.#prepared.get(batch);
    this.#prepared.delete(batch);
    const held = made && made.generation === this.#generation ? this.#held.indexOf(made.token) : -1;
    if (held >= 0) this.#held.splice(held, 1);
    const token = held >= 0 ? made!.token : this.#handOver(batch);
    return this.#request((id) => ({ op: 'post', id, token, batchId: batch.batchId, records: batch.records.length }), signal) as Promise<PlatformResponse>;
  }

  heartbeat(body: HeartbeatBody, signal?: AbortSignal): Promise<HeartbeatResult> {
    return this.#request((id) => ({ op: 'heartbeat', id, body }), signal) as Promise<HeartbeatResult>;
  }

  /** The platform's clock as the answers so far told it (the thread's view after its last answer). */
  clock(): PlatformClockView {
    return { ...this.#clock, refusal: this.#clock.refusal && { ...this.#clock.refusal } };
  }

  /** Closes the thread's pooled connections, then the thread. */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      // Requests in flight may finish; a thread that does not answer is ended all the same.
      const timer = setTimeout(resolve, CLOSE_GRACE_MS);
      this.#closing = () => {
        clearTimeout(timer);
        resolve();
      };
      worker.postMessage({ op: 'close' } satisfies WireRequest);
    });
    await worker.terminate();
  }

  #handOver(batch: Batch): number {
    const raw = ndjson(batch.records);
    const token = this.#next++;
    // Moved, not copied, when the bytes own their memory (a small body may sit in Buffer's shared pool).
    const own = raw.byteOffset === 0 && raw.buffer.byteLength === raw.byteLength;
    this.#thread().postMessage({ op: 'prepare', token, raw } satisfies WireRequest, own ? [raw.buffer as ArrayBuffer] : []);
    return token;
  }

  #request(make: (id: number) => WireRequest, signal?: AbortSignal): Promise<Answer> {
    const id = this.#next++;
    const worker = this.#thread();
    return new Promise<Answer>((resolve) => {
      const abort = () => worker.postMessage({ op: 'abort', id } satisfies WireRequest);
      this.#pending.set(id, (answer) => {
        signal?.removeEventListener('abort', abort);
        resolve(answer);
      });
      worker.ref();
      worker.postMessage(make(id));
      if (signal?.aborted) abort();
      else signal?.addEventListener('abort', abort, { once: true });
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = siblingWorker(import.meta.url, 'wire-worker', { workerData: this.#init, ...(this.#limits ? { resourceLimits: this.#limits } : {}) });
    // Idle, the thread keeps no process alive (as an idle keep-alive connection does not).
    worker.unref();
    worker.on('message', (reply: WireReply) => this.#reply(worker, reply));
    worker.on('error', (err) => this.#ended(worker, err.message));
    worker.on('exit', (code) => this.#ended(worker, `it exited (${code})`));
    this.#worker = worker;
    return worker;
  }

  #reply(worker: Worker, reply: WireReply): void {
    switch (reply.type) {
      case 'log':
        this.#logger[reply.level](reply.obj, reply.msg);
        return;
      case 'closed':
        this.#closing?.();
        this.#closing = null;
        return;
      case 'answer': {
        this.#clock = reply.clock;
        const settle = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        if (this.#pending.size === 0) worker.unref();
        settle?.(reply.response);
      }
    }
  }

  #ended(worker: Worker, detail: string): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    this.#generation++;
    this.#held = [];
    this.#closing?.();
    this.#closing = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    if (pending.length > 0) this.#logger.error({ requests: pending.length, detail }, 'the delivery thread stopped; its requests are answered as failed and sent again');
    for (const settle of pending) settle({ error: { code: 'DELIVERY_THREAD_FAILED', message: `the delivery thread stopped: ${detail}` } });
  }
}
