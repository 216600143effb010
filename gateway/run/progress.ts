/**
 * How far a long `credit-gateway run` has got: counted from the runner's
 * page events (the same `page_committed` events that feed the logs and the
 * metrics, never a second count), shown as a live line on a terminal and as
 * plain periodic lines otherwise, so logs and schedulers see progress too.
 * The formatting is pure; RunProgress only adds up events.
 */

export interface ProgressFacts {
  job: string;
  rowsRead: number;
  pages: number;
  queued: number;
  rejected: number;
  /** Rows the run will read, when known (asked for or cheap); null otherwise. */
  total: number | null;
  elapsedMs: number;
}

/** Rows per second over the whole run so far; 0 before the first second's worth of time. */
export function rowsPerSecond(rowsRead: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : (rowsRead * 1000) / elapsedMs;
}

/**
 * Time left at the rate so far, in ms: null when the total is unknown or no
 * row has been read yet (no rate to go by), 0 once the total is reached.
 */
export function etaMs(rowsRead: number, total: number | null, elapsedMs: number): number | null {
  if (total === null) return null;
  if (rowsRead >= total) return 0;
  const rate = rowsPerSecond(rowsRead, elapsedMs);
  if (rate <= 0) return null;
  return Math.round(((total - rowsRead) / rate) * 1000);
}

/** 42s, 3m05s, 1h02m: short enough for a status line. */
export function formatDuration(ms: number): string {
  const secs = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (secs < 60) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins}m${pad(secs % 60)}s`;
  return `${Math.floor(mins / 60)}h${pad(mins % 60)}m`;
}

const count = (n: number) => n.toLocaleString('en-US');

/** One line of progress, the same words on a terminal and in a log. */
export function progressLine(p: ProgressFacts): string {
  const rate = rowsPerSecond(p.rowsRead, p.elapsedMs);
  const read = p.total === null
    ? `${count(p.rowsRead)} rows read`
    : `${count(p.rowsRead)} of ${count(p.total)} rows read (${p.total === 0 ? 100 : Math.min(100, Math.floor((p.rowsRead / p.total) * 100))}%)`;
  const eta = etaMs(p.rowsRead, p.total, p.elapsedMs);
  return [
    `${p.job}: ${read}`,
    `${count(Math.round(rate))} rows/s`,
    `queued ${count(p.queued)}`,
    `rejected ${count(p.rejected)}`,
    `${formatDuration(p.elapsedMs)} elapsed`,
    ...(eta === null ? [] : [`about ${formatDuration(eta)} left`]),
  ].join(', ');
}

/** The page events of one job, added up. */
export class RunProgress {
  readonly #job: string;
  readonly #startedAtMs: number;
  #total: number | null;
  #rowsRead = 0;
  #pages = 0;
  #queued = 0;
  #rejected = 0;

  constructor(job: string, startedAtMs: number, total: number | null = null) {
    this.#job = job;
    this.#startedAtMs = startedAtMs;
    this.#total = total;
  }

  /** The rows the run will read, once counted (run --count). */
  setTotal(rows: number): void {
    this.#total = rows;
  }

  /** A `page_committed` event (one per category of a page; a job has one category). */
  page(event: { job: string; read: number; queued: number; rejected: number }): void {
    if (event.job !== this.#job) return;
    this.#pages += 1;
    this.#rowsRead += event.read;
    this.#queued += event.queued;
    this.#rejected += event.rejected;
  }

  facts(nowMs: number): ProgressFacts {
    return {
      job: this.#job, rowsRead: this.#rowsRead, pages: this.#pages, queued: this.#queued, rejected: this.#rejected,
      total: this.#total, elapsedMs: Math.max(0, nowMs - this.#startedAtMs),
    };
  }
}
