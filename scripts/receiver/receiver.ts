import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleBatch, type BatchLogDraft } from './batches.js';
import { CONTROL_PREFIX, handleControl } from './control-api.js';
import { faultLabel, faultProblem } from './faults.js';
import { handleHeartbeat } from './heartbeat.js';
import { drain, errorBody, requestPath, sendJson, type Outcome } from './http.js';
import { ReceiverState, settingsFrom } from './state.js';
import type {
  BatchLogEntry, EndpointKind, Fault, HeartbeatEntry, PendingConfig, ReceiverOptions, RejectRule, Stats, StoredRecord,
} from './types.js';

export interface Receiver {
  /** Resolves with the platform base URL (including the base path) and the control API's URL. */
  listen(port?: number, host?: string): Promise<{ url: string; control: string }>;
  /** Stops listening and destroys every socket, keep-alive and hanging ones included. */
  close(): Promise<void>;
  records(): StoredRecord[];
  batches(): BatchLogEntry[];
  heartbeats(): HeartbeatEntry[];
  stats(): Stats;
  injectFault(fault: Fault | Fault[]): void;
  faults(): (Fault & { left: number })[];
  clearFaults(): void;
  addRejectRules(rules: RejectRule | RejectRule[]): void;
  clearRejectRules(): void;
  /** Served once, in the answer to the next heartbeat (of `gatewayId` when given). */
  setPendingConfig(config: PendingConfig, gatewayId?: string): void;
  /** Puts the platform's clock `ms` from the machine's (negative: behind), from the next request on. */
  setClockOffset(ms: number): void;
  reset(): void;
}

const STATUS_CODES: Record<number, string> = {
  400: 'BATCH_MALFORMED',
  401: 'AUTH_SIGNATURE',
  413: 'BATCH_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  503: 'UNAVAILABLE',
};

/** What an injected status fault answers when the test gave no body. */
function faultOutcome(f: Fault): Outcome {
  const status = f.status!;
  const body = f.body ?? errorBody(STATUS_CODES[status] ?? 'INJECTED_FAULT', `injected fault: status ${status}`);
  const headers = f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : undefined;
  return { status, body, headers };
}

/**
 * Every platform answer tells the time, so a gateway whose clock is off can
 * see by how much even when every request is refused: the HTTP Date header
 * (RFC 9110, second resolution) on all of them, and, as a compatible
 * extension of the interface, `serverTime` (ISO-8601, ms) in the receiver's
 * own error bodies. Injected faults stand for a platform in trouble and keep
 * their bodies as given.
 */
function withTime(outcome: Outcome, now: number, ownError: boolean): Outcome {
  const body = outcome.body;
  const timed = ownError && outcome.status !== 200 && body !== null && typeof body === 'object' && !Array.isArray(body)
    ? { ...(body as Record<string, unknown>), serverTime: new Date(now).toISOString() }
    : body;
  return { ...outcome, body: timed, headers: { ...outcome.headers, date: new Date(now).toUTCString() } };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createReceiver(options: ReceiverOptions): Receiver {
  const settings = settingsFrom(options);
  const state = new ReceiverState(settings, options.rejectRules ?? [], options.maxBatchIds ?? 100_000, options.maxLogEntries ?? 10_000);
  const batchesPath = `${settings.basePath}/v1/batches`;
  const heartbeatPath = new RegExp(`^${escapeRegExp(settings.basePath)}/v1/gateways/([^/]+)/heartbeat$`);
  const timers = new Set<NodeJS.Timeout>();
  let server: Server | undefined;
  let closing = false;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => (timers.delete(timer), resolve()), ms);
      timers.add(timer);
    });
  }

  function logBatch(draft: BatchLogDraft | null, req: IncomingMessage, status: number | null, code: string | null, fault: Fault | undefined): void {
    const entry: BatchLogEntry = {
      ...(draft ?? {
        batchId: typeof req.headers['x-batch-id'] === 'string' ? req.headers['x-batch-id'].slice(0, 64) : null,
        gatewayId: typeof req.headers['x-gateway-id'] === 'string' ? req.headers['x-gateway-id'].slice(0, 64) : null,
        accepted: 0, rejected: 0, duplicate: false, stale: 0, recordCount: 0,
      }),
      status,
      code,
      receivedAt: new Date(settings.now()).toISOString(),
      fault: fault ? faultLabel(fault) : null,
    };
    state.ledger.log(entry);
    settings.onBatch(entry);
  }

  function route(path: string): { kind: EndpointKind; gatewayId?: string } | null {
    if (path === batchesPath) return { kind: 'batches' };
    const m = heartbeatPath.exec(path);
    if (!m) return null;
    try {
      return { kind: 'heartbeat', gatewayId: decodeURIComponent(m[1]!) };
    } catch {
      return { kind: 'heartbeat', gatewayId: m[1]! };
    }
  }

  async function handlePlatform(req: IncomingMessage, res: ServerResponse, target: { kind: EndpointKind; gatewayId?: string }): Promise<void> {
    const isBatch = target.kind === 'batches';
    const fault = state.faults.take(target.kind);
    if (fault) state.count('faultsFired');
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (closing) return;

    if (fault?.drop === 'before' || fault?.hang) {
      if (isBatch) logBatch(null, req, null, null, fault);
      // A hanging request keeps its socket until close() destroys it.
      if (fault.drop === 'before') req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined) {
      await drain(req);
      const outcome = faultOutcome(fault);
      if (isBatch) logBatch(null, req, outcome.status, (outcome.body as { code?: string } | null)?.code ?? null, fault);
      sendJson(res, withTime(outcome, settings.now(), false));
      return;
    }

    let outcome: Outcome;
    let draft: BatchLogDraft | null = null;
    if (isBatch) {
      const handled = await handleBatch(state, req);
      outcome = handled.outcome;
      draft = handled.log;
    } else {
      outcome = await handleHeartbeat(state, req, target.gatewayId!);
    }
    const code = (outcome.body as { code?: unknown } | null)?.code;
    if (fault?.drop === 'after') {
      // Processed and stored, but the answer is lost: the sender must resend and learn it was a duplicate.
      if (isBatch) logBatch(draft, req, null, typeof code === 'string' ? code : null, fault);
      req.socket.destroy();
      return;
    }
    if (isBatch) logBatch(draft, req, outcome.status, typeof code === 'string' ? code : null, fault);
    sendJson(res, withTime(outcome, settings.now(), true));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = requestPath(req);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      sendJson(res, await handleControl(state, req));
      return;
    }
    const target = route(path);
    if (!target) {
      await drain(req);
      sendJson(res, { status: 404, body: errorBody('NOT_FOUND', `no route ${path}`) });
      return;
    }
    if (req.method !== 'POST') {
      await drain(req);
      sendJson(res, { status: 405, body: errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`) });
      return;
    }
    await handlePlatform(req, res, target);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((err: unknown) => {
      // A client that went away mid-body is not the receiver's error; anything else is a 500.
      if (res.headersSent || req.socket.destroyed) return;
      sendJson(res, { status: 500, body: errorBody('INTERNAL', (err as Error).message) });
    });
  }

  return {
    listen(port = 0, host = '127.0.0.1') {
      if (server) return Promise.reject(new Error('the receiver is already listening'));
      closing = false;
      const s = createServer({ keepAliveTimeout: 5000 }, onRequest);
      server = s;
      return new Promise((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          const addr = s.address() as AddressInfo;
          const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          const origin = `http://${h}:${addr.port}`;
          resolve({ url: `${origin}${settings.basePath}`, control: `${origin}${CONTROL_PREFIX}` });
        });
      });
    },

    close() {
      const s = server;
      server = undefined;
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (!s) return Promise.resolve();
      return new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },

    records: () => state.records.list(),
    batches: () => state.ledger.list(),
    heartbeats: () => state.heartbeats(),
    stats: () => state.stats(),
    injectFault(fault) {
      const list = Array.isArray(fault) ? fault : [fault];
      // All or nothing, as over the control API.
      for (const f of list) {
        const problem = faultProblem(f);
        if (problem) throw new TypeError(problem);
      }
      for (const f of list) state.faults.add(f);
    },
    faults: () => state.faults.list(),
    clearFaults: () => state.faults.clear(),
    addRejectRules: (rules) => state.addRejectRules(Array.isArray(rules) ? rules : [rules]),
    clearRejectRules: () => state.clearRejectRules(),
    setPendingConfig: (config, gatewayId) => state.queueConfig(config, gatewayId),
    setClockOffset: (ms) => state.setClockOffset(ms),
    reset: () => state.reset(),
  };
}
