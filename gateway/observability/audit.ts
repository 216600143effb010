/**
 * The audit log: who did what to this gateway, from where, and what came of
 * it — logins and their failures, bearer token use, every admin action and
 * every configuration bundle, whatever path it came by. One JSON line per
 * fact, in a file of its own (0600), apart from the operational log, so it
 * can be kept longer and shown to an auditor without the rest.
 *
 * The facts are recorded where they happen (the status security plugin, the
 * status actions, the control outcome), never found by reading other logs.
 * A line holds names, addresses, codes and outcomes; never a password, a
 * token or a cookie (nothing here is given one), and identity numbers are
 * masked like in every log (logger.ts).
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { createLogger } from '../logger.js';
import { StatusSecurityError } from '../status/security/errors.js';

export type AuditAction =
  | 'login'
  | 'logout'
  /** A bearer token's read requests: recorded once per user and address per period (see TOKEN_READ_PERIOD_MS). */
  | 'token'
  /** A request refused by the access rules (viewer on an admin route, wrong form token, wrong bearer token). */
  | 'access'
  | 'job.run'
  | 'rejection.resend'
  | 'coverage.declare'
  | 'file.upload'
  | 'bundle.put'
  /** The configuration page's 试运行检查 (probe of the configuration in effect). */
  | 'config.probe'
  /** What became of a configuration bundle (applied, rejected, rolled back), whatever brought it. */
  | 'bundle';

/** How the actor was known: a login session, a bearer token, the loopback page without login, or a gateway component. */
export type AuditVia = 'form' | 'session' | 'token' | 'loopback' | 'heartbeat' | 'folder' | 'admin' | 'startup';

export interface AuditEvent {
  action: AuditAction;
  /** The user name (or the name tried, at a failed login); null when nobody logged in (loopback page). */
  user: string | null;
  via: AuditVia;
  /** The client's address, for requests. */
  client?: string;
  /** What was acted on: a job, a rejection id, a category, a file, a bundle version, a route. */
  target?: string;
  /** `ok`, or the code of the refusal or failure. */
  outcome: string;
  /** A sentence about the outcome, when there is more to say. */
  detail?: string;
}

export interface Audit {
  record(event: AuditEvent): void;
  close(): void;
}

/**
 * Token reads (the page's JSON for a monitoring script, every few seconds)
 * would bury the rest: the first read of each user from each address in an
 * hour is recorded, so the log still shows who reads with a token and from
 * where. Token writes are admin actions, recorded every time.
 */
export const TOKEN_READ_PERIOD_MS = 3_600_000;

/** Longest user name kept: a failed login may carry anything in the name field. */
const USER_MAX = 64;

/** Records nothing: for tests and tools that need no audit trail. */
export const NO_AUDIT: Audit = { record: () => undefined, close: () => undefined };

/** A line that could not be written is reported here (at most once a minute), e.g. to the operational log. */
export type AuditWriteFailed = (err: unknown) => void;

/**
 * Opens (creating, 0600) the audit log at `file` and appends to it. An
 * existing file that others can read is refused, like the secrets file.
 * A full disk never fails the request being recorded: people must still be
 * able to log in and act to free space; the failure goes to `onWriteFailed`.
 */
export function openAuditLog(file: string, onWriteFailed: AuditWriteFailed = () => undefined): Audit {
  let fd: number;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fd = openSync(file, 'a', 0o600);
  } catch (err) {
    throw new StatusSecurityError('STATUS_AUDIT_FILE_UNWRITABLE', `status.auditFile ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const mode = fstatSync(fd).mode;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    closeSync(fd);
    throw new StatusSecurityError('STATUS_AUDIT_FILE_UNSAFE', `status.auditFile ${file} has mode ${(mode & 0o777).toString(8)}: run chmod 600 ${file}`);
  }
  // Level fixed: LOG_LEVEL quiets the operational log, never the audit trail.
  const failures = new OncePerPeriod(60_000);
  const failed = (err: unknown) => {
    if (failures.first('write', Date.now())) onWriteFailed(err);
  };
  return new AuditLog(createLogger({ level: 'info', destination: fd, onWriteError: failed }), () => closeSync(fd), failed);
}

class AuditLog implements Audit {
  readonly #log: Logger;
  readonly #closeFile: () => void;
  readonly #onWriteFailed: AuditWriteFailed;
  #closed = false;

  constructor(log: Logger, closeFile: () => void, onWriteFailed: AuditWriteFailed) {
    this.#log = log;
    this.#closeFile = closeFile;
    this.#onWriteFailed = onWriteFailed;
  }

  record(e: AuditEvent): void {
    if (this.#closed) return;
    const user = e.user === null ? null : e.user.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, USER_MAX);
    try {
      this.#log.info(
        { at: new Date().toISOString(), action: e.action, user, via: e.via, client: e.client, target: e.target, outcome: e.outcome, detail: e.detail },
        `${e.action} ${e.outcome}`,
      );
    } catch (err) {
      // The destination reports a refused write itself (createLogger's onWriteError); anything else still never fails the request.
      this.#onWriteFailed(err);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeFile();
  }
}

/** Remembers which keys were recorded in the current period, so a repeated fact is recorded once per period. */
export class OncePerPeriod {
  readonly #periodMs: number;
  readonly #until = new Map<string, number>();

  constructor(periodMs: number) {
    this.#periodMs = periodMs;
  }

  /** True the first time `key` is seen in a period (then false until the period is over). */
  first(key: string, nowMs: number): boolean {
    const until = this.#until.get(key);
    if (until !== undefined && until > nowMs) return false;
    for (const [k, u] of this.#until) if (u <= nowMs) this.#until.delete(k);
    this.#until.set(key, nowMs + this.#periodMs);
    return true;
  }
}
