import { monotonicFactory } from 'ulid';
import { GATEWAY_ERRORS } from '../errors.js';
import { isDiskFull } from '../store/disk-pressure.js';
import type { Batch } from '../model.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { BatchLimits, BatchPoster, DeliveryFailure, DeliveryLogger, DeliveryStore } from './contract.js';
import { countByCategory, type DeliveryEvent } from './events.js';
import { decideOutcome, type Outcome } from './outcome.js';
import { sleep as realSleep, type Sleep } from './sleep.js';

/**
 * The delivery loop: one batch at a time, oldest first, until the platform
 * has answered it. The store decides which batch is next (always the oldest
 * open one, with the same id and records after a restart); decideOutcome
 * decides what an answer means; this class only carries the decision out
 * and waits. One batch answered at a time keeps `seq` order on the wire;
 * while it is in flight the next one is read from the store and its body
 * made (the store's batchAfter), and it goes out as soon as the one before
 * was answered with an answer that settles it — before that answer is
 * recorded, so the platform reads the next batch while this thread records
 * the last — and not at all when the answer did not settle it (a retry, a
 * split, a pause): then the store is asked again. A crash between the two
 * loses nothing: the batch whose answer was not recorded is still open and
 * is sent again with its id, and the platform answers it as a duplicate.
 */

export type DeliveryStatus = 'idle' | 'sending' | 'backing_off' | 'paused_auth';

export interface DeliveryState {
  status: DeliveryStatus;
  lastError: { code: string; message: string; action?: string; at: string } | null;
  lastSuccessAt: string | null;
  nextAttemptAt: string | null;
}

export interface DelivererOptions {
  store: DeliveryStore;
  client: BatchPoster;
  limits: BatchLimits;
  backoff: BackoffPolicy;
  logger: DeliveryLogger;
  /** Wait after a 401 before trying again (default 60 s). */
  authRetryMs?: number;
  /** Ceiling on a Retry-After the platform asks for (default 15 min). */
  maxRetryAfterMs?: number;
  /** With nothing queued, look again this often even if wake() is not called (default 30 s). */
  idlePollMs?: number;
  /** How long stop() lets a request in flight finish before aborting it (default 5 s). */
  stopGraceMs?: number;
  now?: () => number;
  random?: () => number;
  newBatchId?: () => string;
  /** Back-off and pause waits; tests pass one that returns at once. */
  sleep?: Sleep;
  onEvent?: (event: DeliveryEvent) => void;
}

/** A request under way: what stop() aborts and the step awaits. */
interface Sending {
  posting: ReturnType<BatchPoster['postBatch']>;
  controller: AbortController;
  sentAt: number;
}

interface Ahead {
  batch: Batch;
  sending: Sending | null;
}

/** What one step of the loop came to, and so what the loop does next. */
type Step =
  | { kind: 'progress' }
  | { kind: 'empty' }
  | { kind: 'wait'; delayMs: number }
  | { kind: 'stopped' };

export class Deliverer {
  readonly #store: DeliveryStore;
  readonly #client: BatchPoster;
  readonly #limits: BatchLimits;
  readonly #backoff: BackoffPolicy;
  readonly #logger: DeliveryLogger;
  readonly #authRetryMs: number | undefined;
  readonly #maxRetryAfterMs: number | undefined;
  readonly #idlePollMs: number;
  readonly #stopGraceMs: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #newBatchId: () => string;
  readonly #sleep: Sleep;
  readonly #onEvent: (event: DeliveryEvent) => void;

  #state: DeliveryState = { status: 'idle', lastError: null, lastSuccessAt: null, nextAttemptAt: null };
  #running: Promise<void> | null = null;
  #stopping = new AbortController();
  #inFlight: AbortController | null = null;
  #woken = false;
  #wakeIdle: (() => void) | null = null;
  #flushWaiters: (() => void)[] = [];
  /** Consecutive store failures, for their back-off: they have no batch to count attempts on. */
  #storeFailures = 0;
  /**
   * The platform answered but the store could not record it (a full disk):
   * recording is tried again before anything is sent, so the same batch is
   * not posted again and again. Lost on a restart, which resends the batch
   * once with its id and gets the answer back as a duplicate.
   */
  #unrecorded: (() => Step) | null = null;
  /**
   * The batch read while the one before it was in flight; kept only while that one's answer settles
   * it, with its request when that went out before the answer was recorded.
   */
  #ahead: Ahead | null = null;

  constructor(options: DelivererOptions) {
    this.#store = options.store;
    this.#client = options.client;
    this.#limits = options.limits;
    this.#backoff = options.backoff;
    this.#logger = options.logger;
    this.#authRetryMs = options.authRetryMs;
    this.#maxRetryAfterMs = options.maxRetryAfterMs;
    this.#idlePollMs = options.idlePollMs ?? 30_000;
    this.#stopGraceMs = options.stopGraceMs ?? 5000;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#newBatchId = options.newBatchId ?? monotonicFactory();
    this.#sleep = options.sleep ?? realSleep;
    this.#onEvent = options.onEvent ?? (() => undefined);
  }

  start(): void {
    if (this.#running) return;
    this.#dropAhead();
    this.#stopping = new AbortController();
    this.#running = this.#loop().finally(() => {
      this.#running = null;
    });
  }

  /**
   * Ends the loop. A request in flight may finish for stopGraceMs (its answer
   * is recorded), then is aborted; the batch stays open and goes out again
   * with the same id on the next start.
   */
  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#stopping.abort();
    this.#wakeIdle?.();
    const grace = setTimeout(() => this.#inFlight?.abort(), this.#stopGraceMs);
    try {
      await running;
    } finally {
      clearTimeout(grace);
      // A batch sent ahead of a stop is not waited for: it is still open, and goes out again with its id.
      this.#dropAhead();
    }
  }

  /** New records were committed: deliver now rather than at the next idle poll. Does not cut a back-off short. */
  wake(): void {
    this.#woken = true;
    this.#wakeIdle?.();
  }

  /**
   * Sends what is queued and resolves once the queue is empty or an attempt
   * failed; returns how many records are still waiting.
   */
  async flush(): Promise<{ pending: number }> {
    if (this.#running) {
      const settled = new Promise<void>((resolve) => this.#flushWaiters.push(resolve));
      this.wake();
      await settled;
    } else {
      while ((await this.#step()).kind === 'progress');
    }
    return { pending: this.#store.queueStats().pending };
  }

  /**
   * For a one-shot run (`credit-gateway run`): ends the loop, cutting an auth
   * pause or a back-off short, then sends what is queued attempt by attempt
   * until the queue is empty or one attempt fails. The first definitive
   * answer is the run's answer; waiting and retrying is the daemon's job
   * (start), and the records stay queued for it. `failure` is why records are
   * left, null when none are.
   */
  async drain(): Promise<{ pending: number; failure: DeliveryFailure | null }> {
    await this.stop();
    this.#dropAhead();
    while ((await this.#step()).kind === 'progress');
    const { pending } = this.#store.queueStats();
    const error = this.#state.lastError;
    return { pending, failure: pending > 0 ? (error ? { code: error.code, message: error.message } : { code: 'RUN_QUEUE_NOT_DRAINED', message: 'records are still queued' }) : null };
  }

  state(): DeliveryState {
    return { ...this.#state, lastError: this.#state.lastError && { ...this.#state.lastError } };
  }

  async #loop(): Promise<void> {
    const stopping = this.#stopping.signal;
    while (!stopping.aborted) {
      const step = await this.#step();
      if (step.kind !== 'progress') this.#settleFlushes();
      if (stopping.aborted || step.kind === 'stopped') break;
      if (step.kind === 'empty') await this.#idle(stopping);
      else if (step.kind === 'wait') await this.#sleep(step.delayMs, stopping);
    }
    this.#settleFlushes();
  }

  async #step(): Promise<Step> {
    this.#woken = false;
    let batch: Batch | null = null;
    const ahead = this.#ahead;
    this.#ahead = null;
    let sentAhead: Sending | null = null;
    try {
      if (this.#unrecorded) {
        const step = this.#unrecorded();
        this.#unrecorded = null;
        this.#storeFailures = 0;
        return step;
      }
      batch = ahead?.batch ?? this.#store.nextBatch(this.#limits, this.#newBatchId);
      if (!batch) {
        this.#storeFailures = 0;
        this.#setState({ status: 'idle', nextAttemptAt: null });
        return { kind: 'empty' };
      }
      this.#setState({ status: 'sending', nextAttemptAt: null });
      const sending = ahead?.sending ?? this.#send(batch);
      this.#inFlight = sending.controller;
      const next = await this.#readAhead(batch);
      const response = await sending.posting;
      const durationMs = performance.now() - sending.sentAt;
      this.#inFlight = null;
      if ('error' in response && response.error.code === 'DELIVERY_ABORTED') return { kind: 'stopped' };
      const outcome = decideOutcome(response, {
        attempt: batch.attempts + 1,
        batchSize: batch.records.length,
        now: this.#now(),
        random: this.#random,
        backoff: this.#backoff,
        authRetryMs: this.#authRetryMs,
        maxRetryAfterMs: this.#maxRetryAfterMs,
      });
      const settled = outcome.kind === 'done' || outcome.kind === 'reject_batch';
      // The batch read ahead goes out now, while this answer is recorded; not once the loop was asked to stop.
      if (settled && next && !(this.#running && this.#stopping.signal.aborted)) {
        sentAhead = this.#send(next);
        this.#inFlight = sentAhead.controller;
      }
      const answered = batch;
      const apply = () => this.#apply(answered, outcome, durationMs);
      // An answer to keep until it is recorded; a failed attempt is only noted, and the batch is sent again anyway.
      if (outcome.kind === 'done' || outcome.kind === 'reject_batch' || outcome.kind === 'split') this.#unrecorded = apply;
      const step = apply();
      this.#unrecorded = null;
      this.#storeFailures = 0;
      // Answered and gone from the store: the batch read ahead is now the oldest open one.
      if (settled && next) this.#ahead = { batch: next, sending: sentAhead };
      return step;
    } catch (err) {
      // Only the store should throw here (the client reports failures as values).
      // The batch stays as the store last committed it, so nothing is lost:
      // back off and start the step again. A batch sent ahead is given up: it
      // is still open in the store and goes out again, with its id, after this one.
      sentAhead?.controller.abort();
      this.#inFlight = null;
      this.#storeFailures += 1;
      const delayMs = backoffDelay(this.#storeFailures, this.#backoff, this.#random);
      const full = isDiskFull(err);
      const code = full ? 'STORE_DISK_FULL' : typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'INTERNAL';
      const message = full ? GATEWAY_ERRORS.STORE_DISK_FULL.message : err instanceof Error ? err.message : String(err);
      this.#logger.error({ err, batchId: batch?.batchId, delayMs, answerKept: this.#unrecorded !== null }, this.#unrecorded
        ? 'the platform\'s answer could not be recorded; recording it again later, without resending'
        : 'delivery step failed; the batch stays as last recorded');
      this.#fail({ code, message }, 'backing_off', delayMs);
      return { kind: 'wait', delayMs };
    }
  }

  #send(batch: Batch): Sending {
    const controller = new AbortController();
    const posting = this.#client.postBatch(batch, controller.signal);
    // Awaited by the step that sends it, after the read ahead: a rejection meanwhile is not an unhandled one.
    posting.catch(() => undefined);
    return { posting, controller, sentAt: performance.now() };
  }

  /** Forgets the batch read ahead; its request, if one went out, is aborted (the batch is still open). */
  #dropAhead(): void {
    this.#ahead?.sending?.controller.abort();
    this.#ahead = null;
  }

  /**
   * The batch after the one just posted, with its body made, while the platform reads that one. A
   * turn of the event loop first, so the request is under way before this thread reads the store.
   * A store failure here is left for the next step to meet and report.
   */
  async #readAhead(current: Batch): Promise<Batch | null> {
    if (!this.#store.batchAfter) return null;
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const next = this.#store.batchAfter(current.batchId, this.#limits, this.#newBatchId);
      if (next) this.#client.prepare?.(next);
      return next;
    } catch {
      return null;
    }
  }

  #apply(batch: Batch, outcome: Outcome, durationMs: number): Step {
    const at = new Date(this.#now()).toISOString();
    const { batchId } = batch;
    const records = batch.records.length;
    switch (outcome.kind) {
      case 'done': {
        const counts = this.#store.acknowledge(batchId, { rejected: outcome.rejected, at });
        this.#state = { ...this.#state, lastError: null, lastSuccessAt: at };
        this.#logger.info({ batchId, records, ...counts, duplicate: outcome.duplicate, attempts: batch.attempts + 1, durationMs: Math.round(durationMs) }, 'batch delivered');
        const categories = countByCategory(batch.records, new Set(outcome.rejected.map((r) => r.id)));
        this.#onEvent({ type: 'batch_delivered', batchId, records, ...counts, duplicate: outcome.duplicate, attempts: batch.attempts + 1, durationMs, categories });
        return { kind: 'progress' };
      }
      case 'reject_batch':
        return this.#rejectWhole(batch, outcome.code, outcome.message, at);
      case 'split': {
        const into = this.#store.splitBatch(batchId, this.#newBatchId);
        // The store knows best whether the batch can still be split.
        if (into.length === 0) return this.#rejectWhole(batch, 'BATCH_TOO_LARGE', 'a single record is larger than the platform accepts', at);
        this.#logger.info({ batchId, records, into }, 'batch too large for the platform, split');
        this.#onEvent({ type: 'batch_split', batchId, records, into });
        return { kind: 'progress' };
      }
      case 'pause_auth': {
        const reason = { code: 'DELIVERY_AUTH', message: `${outcome.code}: ${outcome.message}` };
        this.#failAttempt(batch, reason, 'pause_auth', outcome.retryInMs);
        return { kind: 'wait', delayMs: outcome.retryInMs };
      }
      case 'retry':
        this.#failAttempt(batch, outcome.reason, 'retry', outcome.delayMs);
        return { kind: 'wait', delayMs: outcome.delayMs };
    }
  }

  /** A batch the platform will never take (400, or one record over the size limit): its records become rejections the contact sees. */
  #rejectWhole(batch: Batch, code: string, message: string, at: string): Step {
    const n = this.#store.rejectBatch(batch.batchId, code, message, at);
    this.#state = { ...this.#state, lastError: { code: 'DELIVERY_MALFORMED', message: `${code}: ${message}`, action: GATEWAY_ERRORS.DELIVERY_MALFORMED.action, at } };
    this.#logger.error({ batchId: batch.batchId, records: n, code, message }, 'platform refused the whole batch; its records are kept as rejected');
    const categories = countByCategory(batch.records, new Set(batch.records.map((r) => r.id)));
    this.#onEvent({ type: 'batch_rejected', batchId: batch.batchId, records: n, code, message, categories });
    return { kind: 'progress' };
  }

  #failAttempt(batch: Batch, reason: DeliveryFailure, next: 'retry' | 'pause_auth', delayMs: number): void {
    const nextAttemptAt = this.#fail(reason, next === 'pause_auth' ? 'paused_auth' : 'backing_off', delayMs);
    this.#store.recordAttempt(batch.batchId, { ...reason, nextAttemptAt });
    const attempt = batch.attempts + 1;
    const log = { batchId: batch.batchId, records: batch.records.length, attempt, code: reason.code, message: reason.message, delayMs };
    if (next === 'pause_auth') this.#logger.error(log, 'platform refused the signature; delivery paused');
    else this.#logger.warn(log, 'delivery failed; resending the same batch later');
    this.#onEvent({ type: 'attempt_failed', batchId: batch.batchId, records: batch.records.length, attempt, reason, next, delayMs });
  }

  /** Shows a failure on the status page; returns when the next attempt is due. */
  #fail(reason: DeliveryFailure, status: DeliveryStatus, delayMs: number): string {
    const now = this.#now();
    const nextAttemptAt = new Date(now + delayMs).toISOString();
    const action = (GATEWAY_ERRORS as Record<string, { action: string } | undefined>)[reason.code]?.action;
    this.#state = {
      ...this.#state,
      status,
      nextAttemptAt,
      lastError: { ...reason, ...(action ? { action } : {}), at: new Date(now).toISOString() },
    };
    return nextAttemptAt;
  }

  #setState(patch: Partial<DeliveryState>): void {
    this.#state = { ...this.#state, ...patch };
  }

  /** Waits for wake(), the idle poll or stop, whichever comes first. */
  async #idle(stopping: AbortSignal): Promise<void> {
    if (this.#woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.#idlePollMs);
      stopping.addEventListener('abort', done, { once: true });
      this.#wakeIdle = done;
      function done() {
        clearTimeout(timer);
        stopping.removeEventListener('abort', done);
        resolve();
      }
    });
    this.#wakeIdle = null;
  }

  #settleFlushes(): void {
    const waiters = this.#flushWaiters;
    this.#flushWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
