/**
 * The command line's exit statuses: one small set for every command, so a
 * scheduler or a script can tell what went wrong without reading stderr.
 * 0 only when the command did its job. The stderr line that goes with a
 * non-zero status names the catalogue code and what to do.
 */
export const EXIT = {
  /** The command did its job. */
  OK: 0,
  /** The configuration, the command line or the local store/data folder: fix the setup (the code says which). */
  SETUP: 1,
  /** Reading the department's source failed (database, query, drop folder). */
  SOURCE: 2,
  /** The platform refused this gateway's signature or credentials: nothing was delivered. */
  AUTH: 3,
  /** The platform could not be reached: connection refused, name not found, timeout, TLS. */
  UNREACHABLE: 4,
  /** Delivery did not finish for another reason (platform error or throttling, a batch refused, reading paused by the disk): records are still queued or were refused. */
  INCOMPLETE: 5,
  /** The job read rows and rejected every one of them: nothing was queued, most likely the mapping is wrong. */
  ALL_REJECTED: 6,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

const UNREACHABLE_CODES = new Set(['DELIVERY_UNREACHABLE', 'DELIVERY_TIMEOUT', 'DELIVERY_TLS', 'RUN_PLATFORM_UNREACHABLE']);
const AUTH_CODES = new Set(['DELIVERY_AUTH', 'RUN_AUTH_REFUSED']);
const INCOMPLETE_CODES = new Set(['RUN_QUEUE_NOT_DRAINED', 'RUN_READING_PAUSED', 'DELIVERY_MALFORMED', 'DELIVERY_THROTTLED', 'DELIVERY_SERVER_ERROR', 'DELIVERY_BAD_RESPONSE', 'DELIVERY_UNEXPECTED_STATUS', 'DELIVERY_THREAD_FAILED']);

/** The exit status for a catalogue code of any layer; anything not about a source or the platform is a setup problem. */
export function exitStatusFor(code: string): ExitStatus {
  if (AUTH_CODES.has(code)) return EXIT.AUTH;
  if (UNREACHABLE_CODES.has(code)) return EXIT.UNREACHABLE;
  if (INCOMPLETE_CODES.has(code)) return EXIT.INCOMPLETE;
  if (code === 'RUN_ALL_REJECTED' || code === 'PROBE_ALL_REJECTED') return EXIT.ALL_REJECTED;
  // config check --probe: the source, a drop folder or a query failed (a missing column or a configuration problem is setup).
  if (code === 'PROBE_SOURCE_UNAVAILABLE' || code === 'PROBE_FOLDER_UNUSABLE' || code === 'PROBE_QUERY_FAILED') return EXIT.SOURCE;
  // Connector codes (SOURCE_*, FILE_*) and the runner's own failures while reading.
  if (/^(SOURCE_|FILE_)/.test(code) || code === 'JOB_SOURCE_FAILED' || code === 'JOB_CURSOR_MISMATCH') return EXIT.SOURCE;
  return EXIT.SETUP;
}
