import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { digestOf, sign, type Alg } from './sign.js';

export const GATEWAY = 'hs-rsj';
export const SECRET = 'hs-credit-demo-secret';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface SendOptions {
  /** The platform base URL, base path included. */
  baseUrl: string;
  /** Relative to the base URL, e.g. `/v1/batches`. */
  path: string;
  body?: Buffer | string;
  gzip?: boolean;
  algorithm?: Alg;
  gatewayId?: string;
  secret?: string;
  timestamp?: number;
  nonce?: string;
  batchId?: string;
  /** Replaces or, when undefined, removes headers after signing. */
  headers?: Record<string, string | undefined>;
  /** Signs this path instead of the one requested. */
  signedPath?: string;
  /** Digests these bytes instead of the body sent. */
  digestBody?: Buffer | string;
}

export function nonce(): string {
  return randomBytes(16).toString('hex');
}

export function batchId(): string {
  return randomUUID();
}

/** A plain HTTP request without keep-alive, so every test sees fresh sockets. */
export function raw(method: string, url: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text === '' ? null : JSON.parse(text);
        } catch {
          /* keep the text */
        }
        resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A request signed as spec section 1 prescribes, defaults making it a valid batch delivery. */
export function send(o: SendOptions): Promise<Reply> {
  const alg = o.algorithm ?? 'sha256';
  const plain = o.body ?? '';
  const bytes = o.gzip ? gzipSync(plain) : Buffer.from(plain);
  const path = new URL(o.baseUrl).pathname.replace(/\/$/, '') + o.path;
  const timestamp = String(o.timestamp ?? Date.now());
  const n = o.nonce ?? nonce();
  const digest = digestOf(alg, o.digestBody ?? bytes);
  const headers: Record<string, string | undefined> = {
    'content-type': 'application/x-ndjson',
    'x-gateway-id': o.gatewayId ?? GATEWAY,
    'x-timestamp': timestamp,
    'x-nonce': n,
    'x-content-digest': digest,
    authorization: sign(alg, o.secret ?? SECRET, 'POST', o.signedPath ?? path, timestamp, n, digest),
    'x-batch-id': o.batchId ?? batchId(),
    ...(o.gzip ? { 'content-encoding': 'gzip' } : {}),
    ...o.headers,
  };
  const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return raw('POST', o.baseUrl.replace(/\/$/, '') + o.path, clean, bytes);
}

export function ndjson(records: object[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

let counter = 0;

/** A record id shaped like the spec's (64 lowercase hex); distinct per call unless a name is given. */
export function rid(name?: string): string {
  const seed = name ?? `r${++counter}`;
  return Buffer.from(seed.padEnd(32, '.')).toString('hex').slice(0, 64).padEnd(64, '0');
}

export function upsert(id: string, seq: number, data: Record<string, string | number | null> = { F1: 'v' }, category = 'P07-002') {
  return {
    id, category, op: 'upsert', seq, observedAt: '2026-11-26T08:00:00.000Z',
    subject: { kind: 'legal', name: '黄石市某某有限公司', code: '91420200MA4KXXXXXC' },
    data,
  };
}

export function del(id: string, seq: number, category = 'P07-002') {
  return { id, category, op: 'delete', seq, observedAt: '2026-11-26T08:00:00.000Z' };
}
