/**
 * The signed envelope as a file: exactly the `config` member of a heartbeat
 * answer, `{"version":13,"bundle":"<base64>","signature":"<base64>"}`, so the
 * same file can be dropped into a bundle folder, sent to the admin API or
 * served by the platform. Reading checks the shape only; verify.ts decides
 * whether the bundle inside is accepted.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BundleEnvelope } from './contract.js';
import { ControlError } from './errors.js';
import { envelopeProblem } from './verify.js';

/** Parses envelope text, or throws BUNDLE_FILE_NOT_ENVELOPE saying what is wrong. */
export function parseEnvelope(text: string, where = 'the envelope'): BundleEnvelope {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ControlError('BUNDLE_FILE_NOT_ENVELOPE', { detail: `${where} is not JSON (${(err as Error).message})` });
  }
  const problem = envelopeProblem(doc);
  if (problem) throw new ControlError('BUNDLE_FILE_NOT_ENVELOPE', { detail: `${where}: ${problem}` });
  const { version, bundle, signature } = doc as BundleEnvelope;
  return { version, bundle, signature };
}

export function readEnvelopeFile(file: string): BundleEnvelope {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ControlError('BUNDLE_FILE_UNREADABLE', { detail: `${file}: ${(err as Error).message}` }, { cause: err });
  }
  return parseEnvelope(text, file);
}

/** One line of JSON, the members in the spec's order. */
export function formatEnvelope(envelope: BundleEnvelope): string {
  return `${JSON.stringify({ version: envelope.version, bundle: envelope.bundle, signature: envelope.signature })}\n`;
}

/**
 * Writes through a temporary name and a rename, so a bundle folder watcher
 * never sees half an envelope.
 */
export function writeEnvelopeFile(file: string, envelope: BundleEnvelope): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, formatEnvelope(envelope), { mode: 0o644 });
    renameSync(temp, file);
  } catch (err) {
    throw new ControlError('BUNDLE_FILE_UNWRITABLE', { detail: `${file}: ${(err as Error).message}` }, { cause: err });
  }
}

/** The bytes inside an envelope, as signed. */
export function envelopeBytes(envelope: BundleEnvelope): Buffer {
  return Buffer.from(envelope.bundle, 'base64');
}
