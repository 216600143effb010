/**
 * The read window of one incremental run, decided once when the run starts:
 * where it reads from and up to which value of the first cursor column.
 * Pure: the database's clock, the probe and the stored cursor come in as
 * values.
 *
 * Why an upper bound: a transaction stamps its rows when it writes them but
 * they become visible only when it commits. A reader that moved its cursor
 * past 10:00:03 while a transaction holding a 10:00:02 row was still open
 * would skip that row for ever. Reading only up to the database's own clock
 * minus a safety lag leaves such rows for the next run. The database's clock,
 * never the gateway's: the two machines' clocks differ, and the rows are
 * stamped by the database. A row stamped in the future is held back the same
 * way, until its time comes.
 *
 * Where the database shows its open transactions (Source.openTransactions)
 * the bound follows them instead of a fixed lag: the oldest one still open
 * is exactly how far back a late commit can reach, so with none open the
 * read goes up to the database's clock less a margin, and a transaction
 * open for minutes holds the bound back for minutes (the fixed lag would
 * have let its rows slip). That needs the account to see every session and
 * the cursor column to be stamped by the database's clock at the write (a
 * default, NOW(), a trigger); a column the application fills from its own
 * clock (`cursorClock: application`), a replica applying another server's
 * rows, or an account that cannot see the others get the fixed lag.
 *
 * Numeric cursors (an increasing id or version) get no bound: there is no
 * clock to subtract a lag from, so an id taken by a transaction that commits
 * after a larger one was read is missed. Such jobs should use a timestamp
 * cursor or add a snapshot schedule.
 */
import type { CursorPosition, OpenTransactions, Value } from '../../connectors/contract.js';
import { compareIso } from '../../connectors/sql/time.js';

export type CursorKind = 'timestamp' | 'number' | 'unknown';

/** ISO-8601 as the connectors normalise timestamps; the zone suffix is optional for SQLite text. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * What the first cursor column holds. The database's declared type decides
 * when the connector knows it; otherwise a value read from the column (the
 * stored cursor, or one sample row) does.
 */
export function cursorKind(evidence: { columnType: string | null; fractionalDigits: number | null; sample?: Value }): CursorKind {
  if (evidence.fractionalDigits !== null) return 'timestamp';
  const type = evidence.columnType?.toLowerCase().trim() ?? '';
  // SQL Server's TIMESTAMP is its rowversion, a binary counter: without a precision the name proves nothing.
  if (/date|time/.test(type) && type !== 'timestamp') return 'timestamp';
  if (/int|serial|number|numeric|decimal/.test(type)) return 'number';
  const sample = evidence.sample;
  if (typeof sample === 'number') return 'number';
  if (typeof sample === 'string') {
    if (TIMESTAMP.test(sample) && !Number.isNaN(Date.parse(sample))) return 'timestamp';
    if (/^-?\d+$/.test(sample)) return 'number';
  }
  return 'unknown';
}

export interface WindowInput {
  /** The keyset columns: the job's cursor, then the key columns that break ties. */
  columns: string[];
  /** The job's committed cursor; null before its first page. */
  stored: CursorPosition | null;
  kind: CursorKind;
  /** The database's clock (SourceFacts.now), ISO-8601 UTC. */
  databaseNow: string;
  /** Fractional-second digits of the first cursor column; null when unknown. */
  fractionalDigits: number | null;
  safetyLagSecs: number;
  lookbackSecs: number;
  /** Who stamps the cursor column: the database's clock (default) or the application's. */
  cursorClock?: CursorClock;
  /** The source's open transactions, asked after databaseNow was read; absent when not asked or not supported. */
  open?: OpenTransactions | null;
}

export type CursorClock = 'database' | 'application';

/**
 * Beyond the cursor column's own precision, how far below the oldest open
 * transaction (or the clock, when none is open) a read stops: a session
 * takes its timestamp a moment before the catalogue shows its transaction,
 * microseconds in PostgreSQL's case, and the clock was read a round trip
 * before the catalogue. A quarter second is a thousand times that, and a
 * quarter of the poll.
 */
export const OPEN_TRANSACTION_MARGIN_SECS = 0.25;

/** Which upper bound a run's read has, and why: what the probe and the status page say. */
export type ReadBound =
  | { kind: 'open-transactions'; how: string; oldestStart: string | null }
  | { kind: 'fixed-lag'; why: 'application-clock' | 'not-shown' | 'privilege' | 'replica' | 'unsupported' | 'failed'; detail?: string };

/** The bound a run (or the probe) took and the lag it came to: what the probe and the status page show. */
export interface RunBound {
  bound: ReadBound;
  lagSecs: number;
}

/**
 * A run that failed before its read was planned (the source did not open,
 * or did not answer its clock or the probe): it read nothing, under no
 * bound, and the previous run's bound no longer says how the job reads.
 */
export interface NoBound {
  bound: null;
  lagSecs: null;
  failed: { code: string; message: string };
}

/** The bound a job's last run took, or that it failed before taking one, and when. */
export type LastBound = (RunBound | NoBound) & { at: string };

export interface ReadWindow {
  /** Read rows strictly after this position; null reads from the beginning. */
  after: CursorPosition | null;
  /** Inclusive bound on the first cursor column, ISO-8601 UTC; absent for non-timestamp cursors. */
  through?: string;
  /** The lag actually applied: at least 1 s on a whole-second column. */
  lagSecs: number;
  /** The run starts before the stored cursor to read a look-back window again. */
  lookback: boolean;
  /** What the bound followed; absent for non-timestamp cursors. */
  bound?: ReadBound;
}

export function readWindow(input: WindowInput): ReadWindow {
  if (input.kind !== 'timestamp') return { after: input.stored, lagSecs: 0, lookback: false };
  const { through, lagSecs, bound } = upperBound(input);
  const start = input.stored?.[0];
  if (input.lookbackSecs > 0 && typeof start === 'string' && !Number.isNaN(Date.parse(start))) {
    // (cursor[0] − lookback, before every key): NULL in the tie-breaking places
    // compares as unknown in SQL, so the keyset predicate reduces to
    // "first column > cursor[0] − lookback".
    const after: CursorPosition = [shift(start, -input.lookbackSecs), ...input.columns.slice(1).map(() => null)];
    return { after, through, lagSecs, lookback: true, bound };
  }
  return { after: input.stored, through, lagSecs, lookback: false, bound };
}

/**
 * min(clock, oldest open transaction) less the margin where the source shows
 * every transaction and the database stamps the column; the clock less the
 * fixed lag otherwise. On a whole-second column a row written later in the
 * same second as the read sorts exactly where the read ended: either bound
 * keeps (at least) a full second back.
 */
function upperBound(input: WindowInput): { through: string; lagSecs: number; bound: ReadBound } {
  const open = input.open;
  if (input.cursorClock !== 'application' && open?.visible) {
    const now = Date.parse(input.databaseNow);
    const oldest = open.oldestStart === null ? NaN : Date.parse(open.oldestStart);
    const base = Number.isNaN(oldest) ? now : Math.min(now, oldest);
    // A column rounds or truncates its stamp by up to its step: that much further back, on top of the margin.
    const marginSecs = OPEN_TRANSACTION_MARGIN_SECS + granularitySecs(input.fractionalDigits);
    const through = new Date(Math.floor(base - marginSecs * 1000)).toISOString();
    return { through, lagSecs: (now - Date.parse(through)) / 1000, bound: { kind: 'open-transactions', how: open.how, oldestStart: open.oldestStart } };
  }
  const lagSecs = input.fractionalDigits === 0 ? Math.max(1, input.safetyLagSecs) : input.safetyLagSecs;
  return { through: shift(input.databaseNow, -lagSecs), lagSecs, bound: fixedLagWhy(input) };
}

/** The step of the column's values: whole seconds, or unknown (taken as whole seconds), or 10^-digits. */
function granularitySecs(fractionalDigits: number | null): number {
  return fractionalDigits === null || fractionalDigits <= 0 ? 1 : 10 ** -fractionalDigits;
}

function fixedLagWhy(input: WindowInput): ReadBound {
  if (input.cursorClock === 'application') return { kind: 'fixed-lag', why: 'application-clock' };
  const blind = input.open?.blind;
  if (!input.open || !blind) return { kind: 'fixed-lag', why: 'not-shown' };
  return { kind: 'fixed-lag', why: blind.reason, detail: blind.detail };
}

function shift(iso: string, secs: number): string {
  return new Date(Date.parse(iso) + secs * 1000).toISOString();
}

/**
 * The cursor a page commits: its last row's position, unless that lies before
 * the stored cursor (a look-back page), which then stays. Either choice is
 * safe — moving back only re-reads rows whose fingerprints are known — but
 * never moving back keeps an interrupted look-back run from pulling every
 * later run further back. Positions that cannot be compared here commit as
 * read.
 */
export function cursorToCommit(stored: CursorPosition | null, last: CursorPosition): CursorPosition | null {
  if (!stored || stored.length !== last.length) return last;
  for (let i = 0; i < last.length; i++) {
    const order = compareValues(last[i]!, stored[i]!);
    if (order === null) return last;
    if (order !== 0) return order > 0 ? last : null;
  }
  return null;
}

function compareValues(a: Value, b: Value): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'string' && typeof b === 'string') {
    // Cursor positions keep microseconds and beyond, which Date.parse drops.
    const exact = compareIso(a, b);
    if (exact !== null) return exact;
    const ta = TIMESTAMP.test(a) ? Date.parse(a) : NaN;
    const tb = TIMESTAMP.test(b) ? Date.parse(b) : NaN;
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return Math.sign(ta - tb);
    if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) return Math.sign(Number(BigInt(a) - BigInt(b)));
    // Text order depends on the database's collation: only equality is certain here.
    return a === b ? 0 : null;
  }
  return null;
}
