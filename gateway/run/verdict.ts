/**
 * What a one-shot `credit-gateway run` came to, as one pure decision: done
 * (exit 0), or the one reason it did not finish, with its catalogue code and
 * exit status. Delivery outcomes come first: they are what a scheduler must
 * act on; "every row rejected" last, as it is only reached when nothing
 * else went wrong.
 */
import { EXIT, exitStatusFor, type ExitStatus } from '../exit-status.js';
import { GATEWAY_ERRORS, type GatewayErrorCode } from '../errors.js';

export interface RunFacts {
  /** What reading did (RunSummary's counts). */
  read: { rowsRead: number; queued: number; unchanged: number; rejected: number; deleted: number };
  /** Reading stopped early for lack of room on disk: the disk guard's code and words; null otherwise. */
  readingPaused: { code: string; message: string } | null;
  /** null with --no-deliver. */
  delivery: {
    pending: number;
    /** Why records are left (a DELIVERY_* or store code), null when the queue is empty. */
    failure: { code: string; message: string } | null;
    /** Batches the platform refused whole during this run (their records became rejections). */
    batchesRefused: number;
  } | null;
}

export type RunVerdict =
  | { ok: true; status: typeof EXIT.OK }
  | { ok: false; status: ExitStatus; code: GatewayErrorCode; message: string; action: string };

export function runVerdict(facts: RunFacts): RunVerdict {
  const d = facts.delivery;
  if (d && d.pending > 0) {
    const reason = d.failure ?? { code: 'RUN_QUEUE_NOT_DRAINED', message: 'no attempt failed, yet records are queued' };
    const byReason = exitStatusFor(reason.code);
    const code: GatewayErrorCode = byReason === EXIT.AUTH ? 'RUN_AUTH_REFUSED' : byReason === EXIT.UNREACHABLE ? 'RUN_PLATFORM_UNREACHABLE' : 'RUN_QUEUE_NOT_DRAINED';
    return failed(code, `${d.pending} ${d.pending === 1 ? 'record' : 'records'} still queued; ${reason.code}: ${reason.message}`);
  }
  if (d && d.batchesRefused > 0) {
    return failed('RUN_QUEUE_NOT_DRAINED', `the platform refused ${d.batchesRefused} ${d.batchesRefused === 1 ? 'batch' : 'batches'} whole (DELIVERY_MALFORMED): their records are kept as rejections`);
  }
  if (facts.readingPaused) return failed('RUN_READING_PAUSED', `${facts.readingPaused.code}: ${facts.readingPaused.message}`);
  const r = facts.read;
  const accepted = r.queued - r.deleted + r.unchanged;
  if (r.rejected > 0 && accepted <= 0) return failed('RUN_ALL_REJECTED', `${r.rejected} of ${r.rowsRead} rows rejected`);
  return { ok: true, status: EXIT.OK };
}

function failed(code: GatewayErrorCode, detail: string): RunVerdict {
  return { ok: false, status: exitStatusFor(code), code, message: `${GATEWAY_ERRORS[code].message}: ${detail}`, action: GATEWAY_ERRORS[code].action };
}

/** The one stderr line (and its what-to-do line) a scripted run is judged by. */
export function verdictLine(job: string, v: RunVerdict & { ok: false }): string {
  return `credit-gateway run ${job}: ${v.code} (exit ${v.status}): ${v.message}\n  what to do: ${v.action}\n`;
}
