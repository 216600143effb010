import type { IncomingMessage } from 'node:http';
import { authenticateHeaders, checkDigest } from './authenticate.js';
import { BodyEncodingError, decodeBody, readBody } from './body.js';
import { drain, errorBody, requestPath, type Outcome } from './http.js';
import type { ReceiverState } from './state.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function parseObject(bytes: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * POST {base}/v1/gateways/{gatewayId}/heartbeat, spec section 3: same
 * authentication as batches, and the gateway may only speak for itself.
 */
export async function handleHeartbeat(state: ReceiverState, req: IncomingMessage, pathGatewayId: string): Promise<Outcome> {
  const s = state.settings;
  const auth = authenticateHeaders(
    { gateways: s.gateways, algorithms: s.algorithms, clockSkewMs: s.clockSkewMs, nonces: state.nonces, now: s.now },
    req.method ?? 'POST',
    requestPath(req),
    req.headers,
  );
  if (!auth.ok) {
    await drain(req);
    state.count('authFailures');
    return { status: 401, body: errorBody(auth.code, auth.message) };
  }
  const body = await readBody(req, auth.algorithm, s.maxBytes);
  const digestFailure = checkDigest(auth, body.digest);
  if (digestFailure) {
    state.count('authFailures');
    return { status: 401, body: errorBody(digestFailure.code, digestFailure.message) };
  }
  if (pathGatewayId !== auth.gatewayId) {
    state.count('authFailures');
    return { status: 401, body: errorBody('AUTH_GATEWAY_MISMATCH', 'the path names another gateway than X-Gateway-Id') };
  }
  if (body.bytes === null) return { status: 413, body: errorBody('HEARTBEAT_TOO_LARGE', `body exceeds ${s.maxBytes} bytes`) };

  let parsed: Record<string, unknown> | null;
  try {
    parsed = parseObject(await decodeBody(body.bytes, req.headers['content-encoding'], s.maxInflatedBytes));
  } catch (err) {
    if (!(err instanceof BodyEncodingError)) throw err;
    return { status: 400, body: errorBody('HEARTBEAT_MALFORMED', err.message) };
  }
  if (!parsed) return { status: 400, body: errorBody('HEARTBEAT_MALFORMED', 'body must be a JSON object') };

  const config = state.takeConfig(auth.gatewayId);
  const serverTime = new Date(s.now()).toISOString();
  state.count('heartbeats');
  state.recordHeartbeat({ gatewayId: auth.gatewayId, receivedAt: serverTime, body: parsed, configServed: config?.version ?? null });
  // Extension of section 3: the highest seq received from this gateway, absent before its first batch.
  const lastSeq = state.lastSeq(auth.gatewayId);
  return { status: 200, body: { serverTime, config, ...(lastSeq === undefined ? {} : { lastSeq }) } };
}
