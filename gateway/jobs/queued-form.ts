/**
 * A mapped page as the store needs it, for the trip from a mapping thread:
 * each record's identity and fingerprint, and the page's lines already made
 * and deflated as one stream without their seqs (store/outbox-chunks.ts),
 * instead of the subject and data the lines hold (most of what a structured
 * copy would cost, and the most expensive step of queueing a record, done
 * here rather than on the main thread).
 */
import type { Row } from '../../connectors/contract.js';
import type { CandidateRecord, Page, PageLines } from '../model.js';
import { recordLineParts } from '../records/serialize.js';
import { PageLinesWriter } from '../store/outbox-chunks.js';
import { compact } from '../store/record-ids.js';
import { mapRows, type MapRow } from './runner.js';

export function queuedForm(records: readonly CandidateRecord[]): { records: CandidateRecord[]; lines: PageLines } {
  const lines = new PageLinesWriter();
  const bare: CandidateRecord[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const [head, tail] = recordLineParts(records[i]!);
    lines.add(head, tail);
    bare[i] = withoutContent(records[i]!);
  }
  return { records: bare, lines: lines.pack() };
}

/**
 * mapRows and queuedForm at once, as a mapping thread does a page: each
 * record's line is written as soon as the record is made, so its subject
 * and data are garbage before the next row rather than kept, a page of them,
 * until the page is mapped (the collector copies what lives that long).
 * The page is mapRows's: a row that replaces or withdraws a record of the
 * same id earlier in the page leaves that record's line out of the stream.
 */
export function mapQueued(mapRow: MapRow, rows: Row[], observedAt: string): Pick<Page, 'records' | 'rejections'> & { lines: PageLines } {
  const lines = new PageLinesWriter();
  const lineOf = new Map<CandidateRecord, number>();
  const queued: MapRow = (row, at) => {
    const outcome = mapRow(row, at);
    if (!('record' in outcome)) return outcome;
    const bare = withoutContent(outcome.record);
    const [head, tail] = recordLineParts(outcome.record);
    lineOf.set(bare, lines.add(head, tail));
    return { record: bare };
  };
  const page = mapRows(queued, rows, observedAt);
  const packed = lines.pack(page.records.map((record) => lineOf.get(record)!));
  const stored = storedForms(page.records);
  return { records: page.records, rejections: page.rejections, lines: stored ? { ...packed, stored } : packed };
}

/** PageLines.stored: each record's id and fingerprint compacted, or undefined when one of them is not sha256 hex. */
export function storedForms(records: readonly CandidateRecord[]): Uint8Array | undefined {
  const out = Buffer.allocUnsafe(records.length * 64);
  for (let i = 0; i < records.length; i++) {
    const id = compact(records[i]!.id);
    const fingerprint = compact(records[i]!.fingerprint);
    if (typeof id === 'string' || typeof fingerprint === 'string') return undefined;
    id.copy(out, i * 64);
    fingerprint.copy(out, i * 64 + 32);
  }
  // Its own buffer: a structured copy sends a view's whole buffer, and a small one may be a view of the pool.
  return out.byteLength === out.buffer.byteLength ? out : new Uint8Array(out);
}

/**
 * The record without what its line holds (subject, data, provenance): its other members, in the order a
 * mapped record has them, written out, where an object rest (`{ subject, data, ...bare }`) cost ten times
 * as much per record.
 */
function withoutContent(record: CandidateRecord): CandidateRecord {
  const { id, category, key, observedAt, op, fingerprint, warnings } = record;
  const bare: CandidateRecord = { id, category, key, observedAt, op, fingerprint };
  if (warnings !== undefined) bare.warnings = warnings;
  return bare;
}
