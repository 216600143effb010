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
 * Numeric cursors (an increasing id or version) get no bound: there is no
 * clock to subtract a lag from, so an id taken by a transaction that commits
 * after a larger one was read is missed. Such jobs should use a timestamp
 * cursor or add a snapshot schedule.
 */
import type { CursorPosition, Value } from '../../connectors/contract.js';
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
}

export interface ReadWindow {
  /** Read rows strictly after this position; null reads from the beginning. */
  after: CursorPosition | null;
  /** Inclusive bound on the first cursor column, ISO-8601 UTC; absent for non-timestamp cursors. */
  through?: string;
  /** The lag actually applied: at least 1 s on a whole-second column. */
  lagSecs: number;
  /** The run starts before the stored cursor to read a look-back window again. */
  lookback: boolean;
}

export function readWindow(input: WindowInput): ReadWindow {
  if (input.kind !== 'timestamp') return { after: input.stored, lagSecs: 0, lookback: false };
  // On a whole-second column a row written later in the same second as the read
  // sorts exactly where the read ended; only a bound a full second back keeps it.
  const lagSecs = input.fractionalDigits === 0 ? Math.max(1, input.safetyLagSecs) : input.safetyLagSecs;
  const through = shift(input.databaseNow, -lagSecs);
  const start = input.stored?.[0];
  if (input.lookbackSecs > 0 && typeof start === 'string' && !Number.isNaN(Date.parse(start))) {
    // (cursor[0] − lookback, before every key): NULL in the tie-breaking places
    // compares as unknown in SQL, so the keyset predicate reduces to
    // "first column > cursor[0] − lookback".
    const after: CursorPosition = [shift(start, -input.lookbackSecs), ...input.columns.slice(1).map(() => null)];
    return { after, through, lagSecs, lookback: true };
  }
  return { after: input.stored, through, lagSecs, lookback: false };
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
