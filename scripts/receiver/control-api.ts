import type { IncomingMessage } from 'node:http';
import { faultProblem } from './faults.js';
import { errorBody, isLoopback, readSmallJson, requestPath, type Outcome } from './http.js';
import { ruleProblem } from './record-rules.js';
import type { ReceiverState } from './state.js';
import type { Fault, PendingConfig, RejectRule } from './types.js';

export const CONTROL_PREFIX = '/_receiver';

type Route = (state: ReceiverState, body: unknown) => Outcome;

const ok = (body: unknown = { ok: true }): Outcome => ({ status: 200, body });
const invalid = (code: string, message: string): Outcome => ({ status: 400, body: errorBody(code, message) });
const asList = (body: unknown): unknown[] => (Array.isArray(body) ? body : [body]);

/** Everything is validated before anything is queued, so a bad request changes nothing. */
function addFaults(state: ReceiverState, body: unknown): Outcome {
  const faults = asList(body);
  for (const f of faults) {
    const problem = faultProblem(f);
    if (problem) return invalid('FAULT_INVALID', problem);
  }
  for (const f of faults) state.faults.add(f as Fault);
  return ok({ queued: faults.length, faults: state.faults.list() });
}

function addRules(state: ReceiverState, body: unknown): Outcome {
  const rules = asList(body);
  for (const r of rules) {
    const problem = ruleProblem(r);
    if (problem) return invalid('RULE_INVALID', problem);
  }
  state.addRejectRules(rules as RejectRule[]);
  return ok({ rules: state.rejectRules() });
}

function queueConfig(state: ReceiverState, body: unknown): Outcome {
  const { gatewayId, ...config } = (body ?? {}) as PendingConfig & { gatewayId?: string };
  try {
    state.queueConfig(config, gatewayId);
  } catch (err) {
    return invalid('CONFIG_INVALID', (err as Error).message);
  }
  return ok();
}

function setClock(state: ReceiverState, body: unknown): Outcome {
  try {
    state.setClockOffset((body as { offsetMs?: unknown } | undefined)?.offsetMs);
  } catch (err) {
    return invalid('CLOCK_INVALID', (err as Error).message);
  }
  return ok({ offsetMs: state.settings.clockOffsetMs });
}

const ROUTES: Record<string, Route> = {
  'GET /records': (s) => ok(s.records.list()),
  'GET /batches': (s) => ok(s.ledger.list()),
  'GET /stats': (s) => ok(s.stats()),
  'GET /heartbeats': (s) => ok(s.heartbeats()),
  'GET /faults': (s) => ok(s.faults.list()),
  'POST /faults': addFaults,
  'DELETE /faults': (s) => (s.faults.clear(), ok()),
  'GET /reject-rules': (s) => ok(s.rejectRules()),
  'POST /reject-rules': addRules,
  'DELETE /reject-rules': (s) => (s.clearRejectRules(), ok()),
  'POST /config': queueConfig,
  'GET /clock': (s) => ok({ offsetMs: s.settings.clockOffsetMs }),
  'POST /clock': setClock,
  'POST /reset': (s) => (s.reset(), ok()),
};

/**
 * The receiver's own API for demos and tests driving it as a child process.
 * It has no authentication, so it answers only connections from loopback.
 */
export async function handleControl(state: ReceiverState, req: IncomingMessage): Promise<Outcome> {
  if (!isLoopback(req.socket.remoteAddress)) {
    return { status: 403, body: errorBody('FORBIDDEN', 'the control API answers loopback only') };
  }
  const sub = requestPath(req).slice(CONTROL_PREFIX.length) || '/';
  const route = ROUTES[`${req.method} ${sub}`];
  if (!route) {
    const known = Object.keys(ROUTES).some((k) => k.endsWith(` ${sub}`));
    return known
      ? { status: 405, body: errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${sub}`) }
      : { status: 404, body: errorBody('NOT_FOUND', `no control route ${sub}`) };
  }
  let body: unknown;
  try {
    body = await readSmallJson(req);
  } catch (err) {
    return invalid('BODY_INVALID', (err as Error).message);
  }
  return route(state, body);
}
