/**
 * A mapped record as the store needs it, for the trip from a mapping
 * thread: its identity and fingerprint, and its line already deflated
 * without the seq (the most expensive step of queueing a record, done here
 * rather than on the main thread), without the subject and data the line
 * holds (most of what a structured copy would cost).
 */
import type { CandidateRecord } from '../model.js';
import { recordLineParts } from '../records/serialize.js';
import { packSeqless } from '../store/outbox-lines.js';

export function queuedForm(record: CandidateRecord): CandidateRecord {
  const { subject: _subject, data: _data, provenance: _provenance, ...rest } = record;
  const [head, tail] = recordLineParts(record);
  return { ...rest, seqlessLine: packSeqless(head, tail) };
}
