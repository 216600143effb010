/**
 * A stored rejection as people see it, on the status page, in its API and
 * CSV export and on the command line (`credit-gateway rejections`): masked by
 * value here, once, whoever shows it.
 */
import { maskIdNumbersIn, maskKey, maskSubjectCode } from '../identifiers/mask.js';
import type { RejectionRow } from '../store/store.js';

export interface RejectionView {
  /** The store's row id: what "resend after fix" names. */
  id: number;
  at: string;
  source: 'local' | 'platform';
  job: string | null;
  category: string;
  key: string;
  field: string | null;
  code: string;
  message: string;
  /** The subject's identity number or credit code, masked (first 6 + ******** + last 4) when it is a person's; null when unknown. */
  subjectCode?: string | null;
  /** When the contact asked for it to be read again after a fix; null otherwise. */
  resendRequestedAt?: string | null;
  /** When a later version of the same record was accepted; null while open. */
  resolvedAt?: string | null;
}

/**
 * Each source value of the key is masked, and the subject's code when the
 * subject is a person (or of a kind that could not be read); credit codes of
 * organisations are public and shown whole. The message went through the
 * net: the gateway's own reasons mask the values they quote when built, a
 * platform's message is text from outside.
 */
export function rejectionView(r: RejectionRow): RejectionView {
  return {
    id: r.id, at: r.at, source: r.source, job: r.job, category: r.category, key: maskKey(r.key), field: r.field, code: r.code, message: maskIdNumbersIn(r.message),
    subjectCode: r.subjectCode === null ? null : maskSubjectCode(r.subjectCode, r.subjectKind),
    resendRequestedAt: r.resendRequestedAt, resolvedAt: r.resolvedAt,
  };
}

export type RejectionState = 'open' | 'requested' | 'resolved';

export function rejectionState(r: RejectionView): RejectionState {
  if (r.resolvedAt) return 'resolved';
  if (r.resendRequestedAt) return 'requested';
  return 'open';
}
