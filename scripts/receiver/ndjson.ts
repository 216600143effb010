import type { RawRecord } from './types.js';

export class MalformedBatch extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Splits a batch body into its lines without parsing them, so the record
 * count can be refused (413) before any JSON work. The final newline is
 * optional; a blank line anywhere else is a malformed batch.
 */
export function splitLines(body: Buffer): string[] {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) {
    throw new MalformedBatch('body starts with a byte order mark');
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new MalformedBatch('body is not valid UTF-8');
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new MalformedBatch('batch has no records');
  return lines;
}

/** One JSON object per line; anything else makes the whole batch unusable (400). */
export function parseLines(lines: string[]): RawRecord[] {
  return lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new MalformedBatch(`line ${i + 1} is not JSON: ${(err as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new MalformedBatch(`line ${i + 1} is not a JSON object`);
    }
    return value as RawRecord;
  });
}
