import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { DIGEST_PREFIX } from './signing.js';
import type { Algorithm } from './types.js';

export interface ReceivedBody {
  /** The bytes as sent, or null when they exceeded the limit (only hashed, not kept). */
  bytes: Buffer | null;
  size: number;
  /** `<algorithm>=<hex>` of the bytes as sent. */
  digest: string;
}

/**
 * Reads the whole body, hashing every byte but keeping at most `maxBytes`, so
 * an oversized batch can still be authenticated before it is refused with 413.
 */
export function readBody(req: IncomingMessage, algorithm: Algorithm, maxBytes: number): Promise<ReceivedBody> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    let chunks: Buffer[] | null = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      if (chunks && size <= maxBytes) chunks.push(chunk);
      else chunks = null;
    });
    req.on('end', () => {
      resolve({
        bytes: chunks ? Buffer.concat(chunks, size) : null,
        size,
        digest: `${DIGEST_PREFIX[algorithm]}=${hash.digest('hex')}`,
      });
    });
    req.on('error', reject);
    // A sender that goes away mid-body must not leave this promise pending forever.
    req.on('close', () => {
      if (!req.complete) reject(new Error('request ended before its body was complete'));
    });
  });
}

export class BodyEncodingError extends Error {}

/** Undoes Content-Encoding: gzip or identity, nothing else (spec section 2). */
export async function decodeBody(bytes: Buffer, encoding: string | undefined, maxInflatedBytes: number): Promise<Buffer> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return bytes;
  if (name !== 'gzip') throw new BodyEncodingError(`unsupported Content-Encoding ${JSON.stringify(encoding)}`);
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: maxInflatedBytes }, (err, out) => {
      if (err) reject(new BodyEncodingError(`gzip body cannot be inflated: ${err.message}`));
      else resolve(out);
    });
  });
}
