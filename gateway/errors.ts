/**
 * The gateway layer's error catalogue. Branch on `err.code`, never on the
 * class. Every code has an actionable English message; the status page shows
 * the code and the suggested action.
 */
export interface ErrorSpec {
  message: string;
  /** What a department's IT person should do about it. */
  action: string;
}

export const GATEWAY_ERRORS = {
  // --- store ---
  STORE_OPEN_FAILED: { message: 'cannot open the local store', action: 'check that the data folder exists and is writable by the gateway user' },
  STORE_MIGRATION_FAILED: { message: 'local store migration failed', action: 'restore the data folder from backup or contact support with the log' },
  STORE_NEWER_THAN_GATEWAY: { message: 'the store was migrated by a newer release of the gateway than this one', action: 'install the newer release again (your data is kept), or run `credit-gateway rollback` from the newer release: it returns to this release and restores the copy of the store made before the migration' },
  STORE_UPGRADE_PENDING: { message: 'the store is at an older version and must be copied before this gateway migrates it', action: 'run `credit-gateway start` (or the service): it copies the store to <dataDir>/backups/ and then migrates it; the other commands work after that' },
  STORE_MIGRATION_BACKUP_FAILED: { message: 'the store could not be copied before its migration, so it was not migrated', action: 'free space on the data folder\'s disk (a copy needs as much as gateway.sqlite) and check that <dataDir>/backups/ is writable by the gateway user, then start again; the store is untouched' },
  STORE_BACKUP_FAILED: { message: 'the store backup failed; no backup file was left', action: 'check that the target folder exists, is writable and has room for a copy of gateway.sqlite, then run the backup again; the store itself is untouched' },
  STORE_RESTORE_FAILED: { message: 'the backup cannot be restored', action: 'check the backup file (`credit-gateway store backup` makes one that restores), stop the gateway first, and run the restore again; the store in the data folder is left as it was' },
  STORE_LOST: { message: 'the store is empty or missing, but this data folder held one', action: 'put the right gateway.sqlite back if you have it; otherwise run `credit-gateway store recover --config FILE`: it keeps what is left aside, starts a new store whose seqs continue above everything sent, and every job reads its source again (only the latest version counts at the platform, nothing is lost)' },
  STORE_DAMAGED: { message: 'the store file is damaged (truncated, or not a SQLite database any more)', action: 'stop the gateway and run `credit-gateway store recover --config FILE`: the damaged file is renamed aside and kept (for support), a new store continues above every seq sent, and every job reads its source again' },
  STORE_REPLACED: { message: 'the store file is not the one this data folder last used', action: 'put back the gateway.sqlite this folder used; if that is lost, run `credit-gateway store recover --config FILE` (the file found is kept aside, a new store continues above every seq sent, every job reads its source again)' },
  STORE_LOCKED: { message: 'another gateway process is using this data folder', action: 'only one gateway may run on a data folder: stop that process first, or give this one its own gateway.dataDir; read-only commands (`cursor show`) work while it runs' },
  STORE_NOT_PRIVATE: { message: 'the data folder or a store file can be read by other users of this machine', action: 'run the chmod command in the message as the gateway user (data folder 700, store files 600), then start again' },
  STORE_KEY_INVALID: { message: 'the store encryption key is not a 32-byte key', action: 'set the secret named by store.encryption.keyRef to 64 hex digits or base64 of 32 bytes, e.g. `openssl rand -hex 32 | credit-gateway secrets set store_key -f <secrets file>`' },
  STORE_KEY_MISSING: { message: 'the store holds values sealed with a key that is not configured', action: 'configure that key again as store.encryption.keyRef or in store.encryption.previousKeyRefs (a wrong key value has another key id); never start without it, the values cannot be read otherwise' },
  STORE_VALUE_UNREADABLE: { message: 'a value in the store cannot be read (a sealed value does not authenticate, or a compressed line is damaged): it was altered or damaged', action: 'restore the data folder from backup; do not edit gateway.sqlite by hand' },
  STORE_LINE_DAMAGED: { message: 'a queued record\'s line could not be read from the store (a damaged page of the file, or a sealed value that does not authenticate): the record was taken out of the queue and kept as a local rejection, and the records behind it are delivered', action: 'have the record read again: `credit-gateway run JOB --snapshot` (or "resend after fix" on the status page) for a database job, the file dropped again for a file job; check the disk (`credit-gateway doctor`), and restore the data folder from backup if many records are damaged' },
  STORE_PAGE_INVALID: { message: 'a page holds the same record twice', action: 'make the job key columns unique in the job query (the key must identify one row)' },
  STORE_DISK_FULL: { message: 'the disk holding the data folder is full: reading is paused, delivery goes on', action: 'free space on the disk of the data folder (gateway.dataDir); reading resumes by itself once store.minFreeMiB is free again' },
  STORE_LOW_SPACE: { message: 'free space on the data folder\'s disk is below store.minFreeMiB: reading is paused, delivery goes on', action: 'free space on the disk of the data folder (gateway.dataDir), or lower store.minFreeMiB; reading resumes by itself' },
  STORE_SIZE_CAP: { message: 'the local store reached store.maxSizeMiB: reading is paused until the platform has taken what is queued', action: 'check that delivery to the platform works; if the disk has room, raise store.maxSizeMiB' },
  // --- rollback ---
  ROLLBACK_NO_LAYOUT: { message: 'no installed gateway layout found (no `current` link under CREDIT_GATEWAY_HOME)', action: 'run rollback from an installed gateway (the `credit-gateway` command on PATH), or set CREDIT_GATEWAY_HOME to the installation folder (e.g. /opt/credit-gateway); in a git checkout go back with git instead' },
  ROLLBACK_NO_PREVIOUS: { message: 'there is no previous release installed to return to', action: 'install the earlier release file again with its install.sh; the store is kept (an older release refuses a store a newer one migrated: then restore the copy in <dataDir>/backups/ with `credit-gateway store restore`)' },
  ROLLBACK_NOT_CONFIRMED: { message: 'rollback was not confirmed', action: 'run it on a terminal and answer y, or give --yes' },
  // --- init ---
  INIT_ANSWER_MISSING: { message: 'an answer init needs was not given', action: 'give the flag the message names (see `credit-gateway init --help`), or run init on a terminal without --yes to be asked' },
  INIT_ANSWER_INVALID: { message: 'an answer given to init is not usable', action: 'correct the flag or answer the message names and run init again' },
  INIT_FILE_EXISTS: { message: 'init would replace a file that already exists', action: 'move the file away, choose another --out/--secrets, or give --force to replace it' },
  INIT_TABLE_UNKNOWN: { message: 'a table given to init is not in the database', action: 'use a table or view the message lists (names as the database spells them); check --database and the account\'s grants' },
  INIT_CANCELLED: { message: 'init was cancelled; nothing was written', action: 'run credit-gateway init again' },
  // --- catalog ---
  CATALOG_UNKNOWN_PROVIDER: { message: 'no such provider in the catalog', action: 'list providers with `credit-gateway catalog` and use a name, short name or code from it' },
  CATALOG_INVALID: { message: 'the catalog file is damaged', action: 'reinstall the gateway or regenerate seeds/catalog.json with npm run catalog:build' },
  CATALOG_DEPARTMENTS_INVALID: { message: 'the file of department names since the 2019 reorganisation (seeds/departments-2019.json) is damaged', action: 'undo the hand edit the message points at (entry and member; seeds/README.md describes the file) or reinstall the gateway' },
  // --- profile suggest ---
  SUGGEST_NO_CATEGORY: { message: 'no sheet of the file has a header row that names enough fields of a category\'s data standard', action: 'check that the file is the export itself (not a summary), give the category with --category CODE (`credit-gateway catalog` lists them), or name the sheet with --sheet NAME; a header must name at least two fields, one by its Chinese name, code or alias' },
  SUGGEST_CATEGORY_UNKNOWN: { message: 'the category given is not in the catalog', action: 'give a code `credit-gateway catalog` lists, e.g. P07-002' },
  SUGGEST_SHEET_UNKNOWN: { message: 'the file has no sheet of that name', action: 'give one of the sheet names the message lists with --sheet' },
  // --- jobs ---
  JOB_SOURCE_FAILED: { message: 'reading the source failed', action: 'check that the database is reachable and the job query runs; the job retries by itself' },
  JOB_UNKNOWN: { message: 'no job with this name', action: 'list jobs with `credit-gateway jobs` and check the configuration' },
  JOB_CURSOR_MISMATCH: { message: 'the stored cursor does not fit the job\'s cursor columns', action: 'the job\'s cursor columns were changed: restore them, or give the job a new name so it reads from the beginning (rows already sent unchanged are not sent again)' },
  JOB_MAPPING_THREAD_FAILED: { message: 'the thread mapping the job\'s pages stopped', action: 'the page was not committed and is read again by the next run; if this repeats, report it with the gateway log (it is a fault of the gateway, not of the data)' },
  JOB_SNAPSHOT_INCOMPLETE: { message: 'the snapshot run stopped before its last page, so no deletes were sent', action: 'none: the next snapshot run reads the whole table again and sends the deletes then' },
  // --- `credit-gateway run`: why a one-shot run did not finish its work (exit statuses in exit-status.ts) ---
  RUN_AUTH_REFUSED: { message: 'the platform refused this gateway\'s signature or credentials', action: 'check the secret named by platform.secretRef (it must be the one the credit center issued for gateway.id), gateway.id itself, and this machine\'s clock (within 300 s of the platform); the records stay queued and go out with the next run or the running gateway' },
  RUN_PLATFORM_UNREACHABLE: { message: 'the platform could not be reached (connection refused, name not found, timeout or TLS failure)', action: 'check platform.url, the extranet link and, for TLS, platform.caFile; the records stay queued and go out with the next run or the running gateway' },
  RUN_QUEUE_NOT_DRAINED: { message: 'delivery did not finish', action: 'see the reason in this line and on the status page; run again later or leave delivery to the running gateway (`credit-gateway start`), it keeps trying' },
  RUN_READING_PAUSED: { message: 'reading stopped early: there is not enough room on disk for the store', action: 'free space on the disk of the data folder (gateway.dataDir), then run again: the job resumes from its last committed page' },
  RUN_ALL_REJECTED: { message: 'every row read was rejected: nothing was queued for the platform', action: 'see the reasons above and `credit-gateway rejections --job JOB`; a whole job rejected usually means a column or field is mapped wrong: `credit-gateway config check --probe` shows the columns found and used' },
  // --- delivery ---
  DELIVERY_AUTH: { message: 'the platform refused this gateway\'s signature', action: 'check the platform secret and the machine clock (must be within 300 s of the platform)' },
  DELIVERY_UNREACHABLE: { message: 'the platform cannot be reached', action: 'check the extranet connection and platform.url; records stay queued and are sent when it is back' },
  DELIVERY_MALFORMED: { message: 'the platform refused a whole batch as malformed', action: 'its records are kept as rejected; send the log to the credit center' },
  DELIVERY_THROTTLED: { message: 'the platform asked the gateway to slow down', action: 'none: the gateway waits and resends' },
  DELIVERY_SERVER_ERROR: { message: 'the platform answered with a server error', action: 'none: the gateway backs off and resends the same batch' },
  DELIVERY_TIMEOUT: { message: 'the platform did not answer in time', action: 'none: the gateway resends the same batch; if it persists check the extranet link or raise platform.timeoutMs' },
  DELIVERY_TLS: { message: 'the TLS connection to the platform failed', action: 'check platform.caFile (the government CA bundle), the client certificate and key, and that platform.url names the host on the certificate' },
  DELIVERY_BAD_RESPONSE: { message: 'the platform answered with a body the gateway cannot read', action: 'none: the gateway resends the same batch and gets the first result back; if it persists send the log to the credit center' },
  DELIVERY_UNEXPECTED_STATUS: { message: 'the platform answered with a status its interface does not define', action: 'check platform.url (base path) and ask the credit center whether this gateway is enabled; records stay queued' },
  DELIVERY_ABORTED: { message: 'the request to the platform was cancelled because the gateway is stopping', action: 'none: the batch is resent with the same id after the restart' },
  DELIVERY_INSECURE_URL: { message: 'plain http is allowed only to this machine (loopback)', action: 'use an https:// platform.url, with platform.caFile for a private CA' },
  DELIVERY_INVALID_SETTINGS: { message: 'the platform settings are invalid', action: 'check gateway.id, platform.url and the platform secret in the configuration' },
  DELIVERY_THREAD_FAILED: { message: 'the gateway\'s delivery thread stopped before the platform answered', action: 'none: the gateway starts the thread again and resends the same batch; if it persists send the log to support' },
  DELIVERY_HEARTBEAT_BODY: { message: 'the gateway could not assemble its heartbeat', action: 'none: the next heartbeat tries again; if it persists send the log to support' },
} as const satisfies Record<string, ErrorSpec>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly action: string;
  constructor(code: GatewayErrorCode, detail?: string, options?: { cause?: unknown }) {
    const spec = GATEWAY_ERRORS[code];
    super(detail ? `${spec.message}: ${detail}` : spec.message, options);
    this.name = 'GatewayError';
    this.code = code;
    this.action = spec.action;
  }
}

/**
 * Any thrown value as {code, message, action} for the status page and logs:
 * catalogue errors of every layer keep their code, anything else is
 * INTERNAL so it is never mistaken for a known condition.
 */
export function describeError(err: unknown): { code: string; message: string; action?: string } {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const e = err as { code: string; message?: string; action?: string };
    // SQLite's own words for a damaged store file, met while running: say so, and how to recover.
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(e.code)) {
      return { code: 'STORE_DAMAGED', message: `${GATEWAY_ERRORS.STORE_DAMAGED.message}: ${e.message ?? e.code}`, action: GATEWAY_ERRORS.STORE_DAMAGED.action };
    }
    const action = e.action ?? (GATEWAY_ERRORS as Record<string, ErrorSpec>)[e.code]?.action;
    return { code: e.code, message: e.message ?? e.code, ...(action ? { action } : {}) };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), action: 'report this with the log to support' };
}
