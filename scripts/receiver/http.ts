import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function sendJson(res: ServerResponse, outcome: Outcome): void {
  const text = JSON.stringify(outcome.body);
  res.writeHead(outcome.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...outcome.headers,
  });
  res.end(text);
}

export function errorBody(code: string, message: string): { code: string; message: string } {
  return { code, message };
}

/** The request path as sent, without query: exactly what the signature covers. */
export function requestPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Reads and discards a body, so a keep-alive connection stays usable after an early answer. */
export function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    req.on('end', resolve);
    req.on('error', () => resolve());
    req.on('close', resolve);
    req.resume();
  });
}

/** A small JSON body for the control API; larger than `limit` or not JSON throws. */
export function readSmallJson(req: IncomingMessage, limit = 1 << 20): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => {
      if (size > limit) return reject(new Error(`body larger than ${limit} bytes`));
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new Error(`body is not JSON: ${(err as Error).message}`));
      }
    });
    req.on('error', reject);
  });
}

/** The control API trusts the machine it runs on and nobody else. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
