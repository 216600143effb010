import type { DeliveryFailure, DeliveryLogger } from './contract.js';
import type { HeartbeatBody, HeartbeatReply } from './heartbeat-body.js';
import { sleep as realSleep, type Sleep } from './sleep.js';

/**
 * Heartbeat sender (spec section 3): one at start-up, then one every
 * interval. It tells the platform how this gateway is doing, measures the
 * platform's clock at each answer (the client learns it from every answer,
 * refusals included, and signs with it: platform-clock.ts) and picks up
 * configuration offers, which it hands on untouched: checking
 * and applying a bundle belongs to control. A failed heartbeat is logged and
 * shown, never thrown: the next one simply tries again.
 */

export interface HeartbeatClient {
  heartbeat(body: HeartbeatBody, signal?: AbortSignal): Promise<HeartbeatReply | { error: DeliveryFailure }>;
}

export interface HeartbeatOptions {
  client: HeartbeatClient;
  /** Default 60. */
  intervalSecs?: number;
  /** Builds the body at send time, from the gateway's current state. */
  collect: () => HeartbeatBody | Promise<HeartbeatBody>;
  /** Every readable answer, with config null or a signed bundle on offer. */
  onResponse?: (reply: HeartbeatReply) => void | Promise<void>;
  /** Every heartbeat's result (not one aborted by stop), for metrics. */
  onResult?: (result: { ok: boolean; clockOffsetMs: number | null }) => void;
  logger: DeliveryLogger;
  now?: () => number;
  sleep?: Sleep;
}

export interface HeartbeatState {
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  /** Platform clock minus ours, in ms, from the last answer; null before the first. */
  clockOffsetMs: number | null;
  lastError: { code: string; message: string; at: string } | null;
}

/** Beyond this the offset is logged: the platform refuses requests 300 s off. */
const CLOCK_WARN_MS = 60_000;

export class Heartbeat {
  readonly #client: HeartbeatClient;
  readonly #intervalMs: number;
  readonly #collect: HeartbeatOptions['collect'];
  readonly #onResponse: NonNullable<HeartbeatOptions['onResponse']>;
  readonly #onResult: NonNullable<HeartbeatOptions['onResult']>;
  readonly #logger: DeliveryLogger;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  #state: HeartbeatState = { lastAttemptAt: null, lastSuccessAt: null, clockOffsetMs: null, lastError: null };
  #running: Promise<void> | null = null;
  #stopping = new AbortController();

  constructor(options: HeartbeatOptions) {
    this.#client = options.client;
    this.#intervalMs = (options.intervalSecs ?? 60) * 1000;
    this.#collect = options.collect;
    this.#onResponse = options.onResponse ?? (() => undefined);
    this.#onResult = options.onResult ?? (() => undefined);
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  start(): void {
    if (this.#running) return;
    this.#stopping = new AbortController();
    const stopping = this.#stopping.signal;
    this.#running = (async () => {
      while (!stopping.aborted) {
        await this.#beat(stopping);
        await this.#sleep(this.#intervalMs, stopping);
      }
    })().finally(() => {
      this.#running = null;
    });
  }

  /** Ends the loop, aborting a heartbeat in flight: it carries nothing that must arrive. */
  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#stopping.abort();
    await running;
  }

  /** Sends one heartbeat now (e.g. right after a bundle was applied); true when the platform answered. */
  async beat(): Promise<boolean> {
    return this.#beat(this.#stopping.signal.aborted ? new AbortController().signal : this.#stopping.signal);
  }

  state(): HeartbeatState {
    return { ...this.#state, lastError: this.#state.lastError && { ...this.#state.lastError } };
  }

  async #beat(signal: AbortSignal): Promise<boolean> {
    const sentAt = this.#now();
    this.#state = { ...this.#state, lastAttemptAt: iso(sentAt) };
    let body: HeartbeatBody;
    try {
      body = await this.#collect();
    } catch (err) {
      this.#logger.error({ err }, 'could not assemble the heartbeat');
      return this.#failed({ code: 'DELIVERY_HEARTBEAT_BODY', message: err instanceof Error ? err.message : String(err) }, sentAt);
    }
    const reply = await this.#client.heartbeat(body, signal);
    const receivedAt = this.#now();
    if ('error' in reply) {
      if (reply.error.code === 'DELIVERY_ABORTED') return false;
      this.#logger.warn({ code: reply.error.code, message: reply.error.message }, 'heartbeat failed');
      return this.#failed(reply.error, receivedAt);
    }
    // The server read its clock somewhere between our send and receive;
    // the midpoint halves the error the round trip adds.
    const clockOffsetMs = Math.round(Date.parse(reply.serverTime) - (sentAt + receivedAt) / 2);
    if (Math.abs(clockOffsetMs) > CLOCK_WARN_MS) {
      this.#logger.warn({ clockOffsetMs }, 'this machine\'s clock differs from the platform\'s; set it right (NTP): the platform refuses timestamps 300 s off, the gateway signs on the platform\'s time meanwhile');
    }
    this.#state = { ...this.#state, lastSuccessAt: iso(receivedAt), clockOffsetMs, lastError: null };
    this.#onResult({ ok: true, clockOffsetMs });
    this.#logger.debug({ clockOffsetMs, configOffered: reply.config?.version ?? null }, 'heartbeat answered');
    try {
      await this.#onResponse(reply);
    } catch (err) {
      this.#logger.error({ err }, 'handling the heartbeat answer failed');
    }
    return true;
  }

  #failed(error: DeliveryFailure, at: number): false {
    this.#state = { ...this.#state, lastError: { ...error, at: iso(at) } };
    this.#onResult({ ok: false, clockOffsetMs: this.#state.clockOffsetMs });
    return false;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
