/**
 * A mapped page as the store needs it, for the trip from a mapping thread:
 * each record's identity and fingerprint, and the page's lines already made
 * and deflated as one stream without their seqs (store/outbox-chunks.ts),
 * instead of the subject and data the lines hold (most of what a structured
 * copy would cost, and the most expensive step of queueing a record, done
 * here rather than on the main thread).
 */
import type { CandidateRecord, PageLines } from '../model.js';
import { recordLineParts } from '../records/serialize.js';
import { PageLinesWriter } from '../store/outbox-chunks.js';

export function queuedForm(records: readonly CandidateRecord[]): { records: CandidateRecord[]; lines: PageLines } {
  const lines = new PageLinesWriter();
  const bare: CandidateRecord[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) {
    const { subject: _subject, data: _data, provenance: _provenance, ...rest } = records[i]!;
    const [head, tail] = recordLineParts(records[i]!);
    lines.add(head, tail);
    bare[i] = rest;
  }
  return { records: bare, lines: lines.pack() };
}
