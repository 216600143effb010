import type { IncomingMessage } from 'node:http';
import { authenticateHeaders, checkDigest, type AuthFailure } from './authenticate.js';
import { isBatchId } from './batch-id.js';
import { BodyEncodingError, decodeBody, readBody } from './body.js';
import { errorBody, requestPath, drain, type Outcome } from './http.js';
import { MalformedBatch, parseLines, splitLines } from './ndjson.js';
import { checkRecord } from './record-rules.js';
import type { ReceiverState } from './state.js';
import type { BatchLogEntry, BatchResult, Rejection } from './types.js';

export type BatchLogDraft = Omit<BatchLogEntry, 'status' | 'code' | 'receivedAt' | 'fault'>;

export interface Handled {
  outcome: Outcome;
  log: BatchLogDraft;
}

const NDJSON = 'application/x-ndjson';

function draft(batchId: string | null, gatewayId: string | null, rest: Partial<BatchLogDraft> = {}): BatchLogDraft {
  return { batchId, gatewayId, accepted: 0, rejected: 0, duplicate: false, stale: 0, recordCount: 0, ...rest };
}

function headerBatchId(req: IncomingMessage): string | null {
  const v = req.headers['x-batch-id'];
  return typeof v === 'string' ? v.slice(0, 64) : null;
}

/**
 * POST {base}/v1/batches, spec section 2. Authentication comes first and is
 * complete (headers, then the body against the signed digest) before the
 * batch is looked at; from the dedup check onwards the work is synchronous, so
 * two concurrent deliveries of one batch id cannot both be processed.
 */
export async function handleBatch(state: ReceiverState, req: IncomingMessage): Promise<Handled> {
  const s = state.settings;
  const batchIdHeader = headerBatchId(req);
  const unauthorised = (f: AuthFailure): Handled => {
    state.count('authFailures');
    return { outcome: { status: 401, body: errorBody(f.code, f.message) }, log: draft(batchIdHeader, f.gatewayId) };
  };
  const malformed = (gatewayId: string, message: string, rest: Partial<BatchLogDraft> = {}): Handled => {
    state.count('malformed');
    return { outcome: { status: 400, body: errorBody('BATCH_MALFORMED', message) }, log: draft(batchIdHeader, gatewayId, rest) };
  };
  const tooLarge = (gatewayId: string, message: string, rest: Partial<BatchLogDraft> = {}): Handled => {
    state.count('tooLarge');
    return { outcome: { status: 413, body: errorBody('BATCH_TOO_LARGE', message) }, log: draft(batchIdHeader, gatewayId, rest) };
  };

  const auth = authenticateHeaders(
    { gateways: s.gateways, algorithms: s.algorithms, clockSkewMs: s.clockSkewMs, nonces: state.nonces, now: s.now },
    req.method ?? 'POST',
    requestPath(req),
    req.headers,
  );
  if (!auth.ok) {
    await drain(req);
    return unauthorised(auth);
  }
  const body = await readBody(req, auth.algorithm, s.maxBytes);
  const digestFailure = checkDigest(auth, body.digest);
  if (digestFailure) return unauthorised(digestFailure);
  const gatewayId = auth.gatewayId;

  if (!isBatchId(batchIdHeader ?? undefined)) return malformed(gatewayId, 'X-Batch-Id must be a 26-char ULID or a UUID');
  const batchId = batchIdHeader!;
  if (body.bytes === null) return tooLarge(gatewayId, `body of ${body.size} bytes exceeds ${s.maxBytes}`);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== NDJSON) return malformed(gatewayId, `Content-Type must be ${NDJSON}`);

  let decoded: Buffer;
  try {
    decoded = await decodeBody(body.bytes, req.headers['content-encoding'], s.maxInflatedBytes);
  } catch (err) {
    if (err instanceof BodyEncodingError) return malformed(gatewayId, err.message);
    throw err;
  }

  const earlier = state.ledger.processed(gatewayId, batchId);
  if (earlier) {
    state.count('duplicates');
    const result: BatchResult = { ...earlier, duplicate: true };
    return {
      outcome: { status: 200, body: result },
      log: draft(batchId, gatewayId, {
        accepted: earlier.accepted, rejected: earlier.rejected.length, duplicate: true,
        recordCount: earlier.accepted + earlier.rejected.length,
      }),
    };
  }

  let records;
  try {
    const lines = splitLines(decoded);
    if (lines.length > s.maxRecords) {
      return tooLarge(gatewayId, `${lines.length} records exceed ${s.maxRecords}`, { recordCount: lines.length });
    }
    records = parseLines(lines);
  } catch (err) {
    if (err instanceof MalformedBatch) return malformed(gatewayId, err.message);
    throw err;
  }

  const rules = state.rejectRules();
  const rejected: Rejection[] = [];
  let accepted = 0;
  let stale = 0;
  for (const record of records) {
    // A seq counts as used even when its record is refused: the gateway must not hand it out again.
    if (Number.isSafeInteger(record.seq)) state.noteSeq(gatewayId, record.seq as number);
    const rejection = checkRecord(record, rules);
    if (rejection) {
      rejected.push(rejection);
      continue;
    }
    accepted += 1;
    if (state.records.apply(record) === 'stale') stale += 1;
    else s.onRecord(record);
  }
  const result: BatchResult = { batchId, accepted, rejected, duplicate: false };
  state.ledger.remember(gatewayId, result);
  state.count('batches');
  state.count('accepted', accepted);
  state.count('rejected', rejected.length);
  state.count('stale', stale);
  return {
    outcome: { status: 200, body: result },
    log: draft(batchId, gatewayId, { accepted, rejected: rejected.length, stale, recordCount: records.length }),
  };
}
