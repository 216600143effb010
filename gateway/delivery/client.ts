import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Batch } from '../model.js';
import { compressBody, encodeBatchBody, type BatchBody } from './batch-body.js';
import type { BatchPoster, DeliveryFailure, DeliveryLogger, PlatformResponse } from './contract.js';
import { readHeartbeatReply, type HeartbeatBody, type HeartbeatReply } from './heartbeat-body.js';
import { classifyNetworkError } from './network-error.js';
import { PlatformClock, type PlatformClockView } from './platform-clock.js';
import type { PlatformEndpoints } from './platform-url.js';
import { platformSettings, type PlatformPems } from './platform-settings.js';
import { signRequest, type SigningAlgorithm } from './signing.js';

/**
 * The only code that talks to the platform. It signs every request afresh
 * (new timestamp and nonce, so a resent batch is never refused as a replayed
 * nonce) and reports every outcome as a value: an answer, or a failure with a
 * catalogue code. It never throws on the network path and never decides what
 * an answer means; that is outcome.ts. Every answer also tells it the
 * platform's time (platform-clock.ts): a request refused for its timestamp
 * is signed again once, on the platform's time, when the correction now
 * differs from the one it was signed with.
 */

export interface PlatformClientOptions {
  /** Base URL, e.g. https://platform.example/exchange; plain http only to loopback. */
  url: string;
  gatewayId: string;
  secret: string;
  algorithm?: SigningAlgorithm;
  gzip?: boolean;
  /** Deadline for one whole request, connect to last byte of the answer. */
  timeoutMs?: number;
  /** PEM bundle of the CA(s) that signed the platform's certificate (a private government CA). */
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  /** The certificates already read (platform-settings.ts): the files are not read again. */
  pems?: PlatformPems;
  logger: DeliveryLogger;
  /** This machine's clock (Unix ms): X-Timestamp is it plus the learnt correction. */
  now?: () => number;
  nonce?: () => string;
}

export type HeartbeatResult = HeartbeatReply | { error: DeliveryFailure };

const MAX_ERROR_BODY_CHARS = 2000;

export class PlatformClient implements BatchPoster {
  readonly #endpoints: PlatformEndpoints;
  readonly #gatewayId: string;
  readonly #secret: string;
  readonly #algorithm: SigningAlgorithm;
  readonly #gzip: boolean;
  readonly #timeoutMs: number;
  readonly #agent: Agent;
  readonly #logger: DeliveryLogger;
  readonly #now: () => number;
  readonly #nonce: () => string;
  readonly #clock: PlatformClock;
  /** Bodies made ahead (prepare), each used by its batch's next postBatch. */
  readonly #prepared = new WeakMap<Batch, Promise<BatchBody>>();

  constructor(options: PlatformClientOptions) {
    const { endpoints, pems } = platformSettings(options);
    this.#endpoints = endpoints;
    this.#gatewayId = options.gatewayId;
    this.#secret = options.secret;
    this.#algorithm = options.algorithm ?? 'sha256';
    this.#gzip = options.gzip ?? true;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
    this.#clock = new PlatformClock({ now: this.#now, logger: this.#logger });
    this.#agent = new Agent({
      connect: {
        timeout: this.#timeoutMs,
        ...(pems.ca ? { ca: pems.ca } : {}),
        ...(pems.cert ? { cert: pems.cert } : {}),
        ...(pems.key ? { key: pems.key } : {}),
      },
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
  }

  /** Makes the batch's body now, so that its postBatch sends at once. */
  prepare(batch: Batch): void {
    const body = encodeBatchBody(batch.records, { gzip: this.#gzip });
    // Awaited by postBatch; a batch never posted must not leave a rejection unhandled.
    body.catch(() => undefined);
    this.#prepared.set(batch, body);
  }

  /** POST /v1/batches with the batch's exact records under its own id. */
  async postBatch(batch: Batch, signal?: AbortSignal): Promise<PlatformResponse> {
    const body = this.#prepared.get(batch) ?? encodeBatchBody(batch.records, { gzip: this.#gzip });
    this.#prepared.delete(batch);
    return this.postBody(batch.batchId, batch.records.length, body, signal);
  }

  /** The body of a batch from its NDJSON bytes, compressed as this client sends it (postBody). */
  compress(raw: Buffer): Promise<BatchBody> {
    return compressBody(raw, { gzip: this.#gzip });
  }

  /** POST /v1/batches with a body already made (compress): what postBatch does once it has the body. */
  async postBody(batchId: string, records: number, made: BatchBody | Promise<BatchBody>, signal?: AbortSignal): Promise<PlatformResponse> {
    const body = await made;
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-ndjson',
      'X-Batch-Id': batchId,
    };
    if (body.contentEncoding) headers['Content-Encoding'] = body.contentEncoding;
    const started = performance.now();
    const response = await this.#post(this.#endpoints.batchesPath, body.bytes, headers, signal);
    this.#logger.debug(
      {
        batchId,
        records,
        bytes: body.bytes.length,
        rawBytes: body.rawBytes,
        ms: Math.round(performance.now() - started),
        ...('error' in response ? { error: response.error } : { status: response.status }),
      },
      'batch posted',
    );
    return response;
  }

  /** POST /v1/gateways/{gatewayId}/heartbeat. */
  async heartbeat(body: HeartbeatBody, signal?: AbortSignal): Promise<HeartbeatResult> {
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const response = await this.#post(this.#endpoints.heartbeatPath, bytes, { 'Content-Type': 'application/json' }, signal);
    if ('error' in response) return response;
    return readHeartbeatReply(response.status, response.body);
  }

  /** The platform's clock as the answers so far told it, and the correction signing uses. */
  clock(): PlatformClockView {
    return this.#clock.view();
  }

  /** Closes pooled connections; pending requests are allowed to finish. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #post(path: string, body: Buffer, headers: Record<string, string>, signal?: AbortSignal): Promise<PlatformResponse> {
    const first = await this.#send(path, body, headers, signal);
    if (!first.corrected) return first.response;
    // Refused for the timestamp alone: nothing was processed, so the same
    // request (same batch id and body) goes again at once, signed anew.
    this.#logger.info({ path, correctionMs: this.#clock.view().correctionMs }, 'request refused for its timestamp, signed again on the platform\'s time');
    return (await this.#send(path, body, headers, signal)).response;
  }

  async #send(path: string, body: Buffer, headers: Record<string, string>, signal?: AbortSignal): Promise<{ response: PlatformResponse; corrected: boolean }> {
    const { timestamp, correctionMs } = this.#clock.stamp();
    const signed = signRequest({
      method: 'POST',
      path,
      body,
      secret: this.#secret,
      algorithm: this.#algorithm,
      timestamp,
      nonce: this.#nonce(),
      gatewayId: this.#gatewayId,
    });
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    const sentAt = this.#now();
    try {
      const res = await request(this.#endpoints.origin + path, {
        method: 'POST',
        headers: { ...headers, ...signed },
        body,
        dispatcher: this.#agent,
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
      const text = await res.body.text();
      const answer = { status: res.statusCode, headers: flattenHeaders(res.headers), body: parseBody(text) };
      const receivedAt = this.#now();
      const corrected = this.#clock.observe(answer, { sentAt, receivedAt, correctionMs, heartbeat: path === this.#endpoints.heartbeatPath });
      return { response: answer, corrected };
    } catch (err) {
      return {
        response: { error: classifyNetworkError(err, { timedOut: deadline.aborted, aborted: signal?.aborted ?? false, timeoutMs: this.#timeoutMs }) },
        corrected: false,
      };
    }
  }
}

/** JSON when the answer is JSON, else its text (trimmed, bounded) for the error message, null when empty. */
function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.trim().slice(0, MAX_ERROR_BODY_CHARS);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
