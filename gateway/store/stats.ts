import type Database from 'better-sqlite3';
import type { LocalRejection } from '../model.js';
import type { BatchTally, SeqRange } from './outbox.js';
import type { PayloadCipher } from './payload-crypto.js';
import type { CategoryStats, Counters, JobStats, Last24h, Totals } from './types.js';

/** What one page did to one category. */
export interface CategoryPageCounts {
  rowsMapped: number;
  queued: number;
  unchanged: number;
  rejectedLocal: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** Hourly and minute buckets older than this can no longer fall into a 24-hour window. */
const KEEP_HOURS = 48;

/** The calendar day on the gateway machine: what a clerk means by "today". */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

function hourKey(at: Date): string {
  return at.toISOString().slice(0, 13);
}

function minuteKey(at: Date): string {
  return at.toISOString().slice(0, 16);
}

/** The hourly buckets of the 24 hours ending at `now`: its hour and the 23 before it. */
function window24h(now: Date): { from: string; to: string } {
  return { from: hourKey(new Date(now.getTime() - 23 * HOUR_MS)), to: hourKey(now) };
}

interface CounterSums {
  tRows: number; tQueued: number; tUnchanged: number; tRejectedLocal: number; tDelivered: number; tRejectedPlatform: number;
  aRows: number; aQueued: number; aUnchanged: number; aRejectedLocal: number; aDelivered: number; aRejectedPlatform: number;
}

const SUMS = (rows: string) => `
  coalesce(sum(CASE WHEN day = @day THEN ${rows} END), 0) AS tRows,
  coalesce(sum(CASE WHEN day = @day THEN queued END), 0) AS tQueued,
  coalesce(sum(CASE WHEN day = @day THEN unchanged END), 0) AS tUnchanged,
  coalesce(sum(CASE WHEN day = @day THEN rejected_local END), 0) AS tRejectedLocal,
  coalesce(sum(CASE WHEN day = @day THEN delivered END), 0) AS tDelivered,
  coalesce(sum(CASE WHEN day = @day THEN rejected_platform END), 0) AS tRejectedPlatform,
  coalesce(sum(${rows}), 0) AS aRows,
  coalesce(sum(queued), 0) AS aQueued,
  coalesce(sum(unchanged), 0) AS aUnchanged,
  coalesce(sum(rejected_local), 0) AS aRejectedLocal,
  coalesce(sum(delivered), 0) AS aDelivered,
  coalesce(sum(rejected_platform), 0) AS aRejectedPlatform`;

const ROWS_READ = `
  coalesce(sum(CASE WHEN day = @day THEN rows_read END), 0) AS today,
  coalesce(sum(rows_read), 0) AS total`;

/**
 * Counters per day, job and category (rows read per day and job), hourly
 * delivery buckets for the last 24 hours, accepted records per minute for the
 * delivery rate, and the last delivery per category.
 * A few rows per job and day: reading them all stays small.
 */
export class Stats {
  readonly #page: Database.Statement<[{ day: string; job: string; rowsRead: number }]>;
  readonly #pageCategory: Database.Statement<[{ day: string; job: string; category: string } & CategoryPageCounts]>;
  readonly #answered: Database.Statement<[{ day: string; job: string; category: string; delivered: number; rejected: number }]>;
  readonly #answeredHour: Database.Statement<[{ hour: string; category: string; delivered: number; rejected: number }]>;
  readonly #delivered: Database.Statement<[{ at: string; category: string }]>;
  readonly #prune: Database.Statement<[string]>;
  readonly #answeredMinute: Database.Statement<[{ minute: string; delivered: number }]>;
  readonly #pruneMinutes: Database.Statement<[string]>;
  readonly #deliveredBetween: Database.Statement<[{ from: string; to: string }], { n: number }>;
  readonly #jobRows: Database.Statement<[{ day: string }], { job: string; today: number; total: number }>;
  readonly #jobCounters: Database.Statement<[{ day: string }], CounterSums & { job: string }>;
  readonly #categoryCounters: Database.Statement<[{ day: string }], CounterSums & { category: string }>;
  readonly #categoryHours: Database.Statement<[{ from: string; to: string }], Last24h & { category: string }>;
  readonly #categoryState: Database.Statement<[], { category: string; lastDeliveredAt: string | null }>;
  readonly #allRows: Database.Statement<[{ day: string }], { today: number; total: number }>;
  readonly #allCounters: Database.Statement<[{ day: string }], CounterSums>;
  readonly #allHours: Database.Statement<[{ from: string; to: string }], Last24h>;
  readonly #lastDelivered: Database.Statement<[], { at: string | null }>;
  readonly #openFindings: Database.Statement<[string], { field: string | null; code: string; message: string }>;
  readonly #uncountRejected: Database.Statement<[{ day: string; job: string; category: string; n: number }]>;
  readonly #rejectedAfterQueueing: Database.Statement<[{ day: string; job: string; category: string; n: number }]>;
  /** null: rejection messages are stored as plaintext. */
  readonly #cipher: PayloadCipher | null;

  constructor(db: Database.Database, cipher: PayloadCipher | null = null) {
    this.#cipher = cipher;
    this.#page = db.prepare(`
      INSERT INTO job_counters (day, job, pages, rows_read) VALUES (@day, @job, 1, @rowsRead)
      ON CONFLICT (day, job) DO UPDATE SET pages = pages + 1, rows_read = rows_read + excluded.rows_read`);
    this.#pageCategory = db.prepare(`
      INSERT INTO category_counters (day, job, category, rows_mapped, queued, unchanged, rejected_local)
      VALUES (@day, @job, @category, @rowsMapped, @queued, @unchanged, @rejectedLocal)
      ON CONFLICT (day, job, category) DO UPDATE SET
        rows_mapped = rows_mapped + excluded.rows_mapped, queued = queued + excluded.queued,
        unchanged = unchanged + excluded.unchanged, rejected_local = rejected_local + excluded.rejected_local`);
    // From a batch's tally (Outbox.tally: its rows grouped once by job and category), not from its rows again.
    this.#answered = db.prepare(`
      INSERT INTO category_counters (day, job, category, delivered, rejected_platform)
      VALUES (@day, @job, @category, @delivered, @rejected)
      ON CONFLICT (day, job, category) DO UPDATE SET
        delivered = delivered + excluded.delivered, rejected_platform = rejected_platform + excluded.rejected_platform`);
    this.#answeredHour = db.prepare(`
      INSERT INTO delivery_hours (hour, category, delivered, rejected) VALUES (@hour, @category, @delivered, @rejected)
      ON CONFLICT (hour, category) DO UPDATE SET
        delivered = delivered + excluded.delivered, rejected = rejected + excluded.rejected`);
    this.#delivered = db.prepare(`
      INSERT INTO category_state (category, last_delivered_at) VALUES (@category, @at)
      ON CONFLICT (category) DO UPDATE SET
        last_delivered_at = max(coalesce(last_delivered_at, ''), excluded.last_delivered_at)`);
    this.#prune = db.prepare('DELETE FROM delivery_hours WHERE hour < ?');
    this.#answeredMinute = db.prepare(`
      INSERT INTO delivery_minutes (minute, delivered) VALUES (@minute, @delivered)
      ON CONFLICT (minute) DO UPDATE SET delivered = delivered + excluded.delivered`);
    this.#pruneMinutes = db.prepare('DELETE FROM delivery_minutes WHERE minute < ?');
    this.#deliveredBetween = db.prepare(`
      SELECT coalesce(sum(delivered), 0) AS n FROM delivery_minutes WHERE minute BETWEEN @from AND @to`);
    this.#jobRows = db.prepare(`SELECT job, ${ROWS_READ} FROM job_counters GROUP BY job`);
    this.#jobCounters = db.prepare(`SELECT job, ${SUMS('rows_mapped')} FROM category_counters GROUP BY job`);
    this.#categoryCounters = db.prepare(`SELECT category, ${SUMS('rows_mapped')} FROM category_counters GROUP BY category ORDER BY category`);
    this.#categoryHours = db.prepare(`
      SELECT category, sum(delivered) AS delivered, sum(rejected) AS rejected
      FROM delivery_hours WHERE hour BETWEEN @from AND @to GROUP BY category`);
    this.#categoryState = db.prepare('SELECT category, last_delivered_at AS lastDeliveredAt FROM category_state');
    this.#allRows = db.prepare(`SELECT ${ROWS_READ} FROM job_counters`);
    this.#allCounters = db.prepare(`SELECT ${SUMS('rows_mapped')} FROM category_counters`);
    this.#allHours = db.prepare(`
      SELECT coalesce(sum(delivered), 0) AS delivered, coalesce(sum(rejected), 0) AS rejected
      FROM delivery_hours WHERE hour BETWEEN @from AND @to`);
    this.#lastDelivered = db.prepare('SELECT max(last_delivered_at) AS at FROM category_state');
    this.#openFindings = db.prepare(`
      SELECT field, code, message FROM rejections WHERE record_id = ? AND source = 'local' AND resolved_at IS NULL`);
    this.#rejectedAfterQueueing = db.prepare(`
      INSERT INTO category_counters (day, job, category, rejected_local) VALUES (@day, @job, @category, @n)
      ON CONFLICT (day, job, category) DO UPDATE SET rejected_local = rejected_local + excluded.rejected_local`);
    this.#uncountRejected = db.prepare(`
      UPDATE category_counters SET rejected_local = max(0, rejected_local - @n) WHERE day = @day AND job = @job AND category = @category`);
  }

  /**
   * Per category, how many of a page's rejections repeat one still open with
   * the same findings. Ask before the page is committed: committing replaces
   * the open rejection (rejections.ts) and the repeat can no longer be seen.
   */
  repeatedRejections(rejections: readonly LocalRejection[]): Map<string, number> {
    const repeats = new Map<string, number>();
    for (const rejection of rejections) {
      const c = this.#cipher;
      const stored = this.#openFindings.all(rejection.recordId);
      const open = c ? stored.map((f) => ({ ...f, message: c.open(f.message, 'rejections.message') })) : stored;
      if (open.length === 0 || !sameFindings(open, rejection)) continue;
      repeats.set(rejection.category, (repeats.get(rejection.category) ?? 0) + 1);
    }
    return repeats;
  }

  /**
   * Takes repeated rejections back out of the local rejection counter the
   * page just added them to (same transaction, same `now`): a rejection counts
   * once while it stays open and unchanged, so a row refused for the same
   * reasons every night is one rejection, not one a night. Its rows read
   * still count.
   */
  uncountRepeated(job: string, repeats: ReadonlyMap<string, number>, now: Date): void {
    const day = localDay(now);
    for (const [category, n] of repeats) this.#uncountRejected.run({ day, job, category, n });
  }

  /**
   * Queued records that became local rejections on the day of `now` (quarantine.ts): counted where a
   * page counts its failed checks, so the page, the reports and the heartbeat see them. Their rows were
   * read and queued on the day the page counted them; only the rejection is counted here.
   */
  rejectedAfterQueueing(counts: readonly { job: string; category: string; n: number }[], now: Date): void {
    const day = localDay(now);
    for (const c of counts) this.#rejectedAfterQueueing.run({ day, job: c.job, category: c.category, n: c.n });
  }

  page(job: string, rowsRead: number, categories: ReadonlyMap<string, CategoryPageCounts>, now: Date): void {
    const day = localDay(now);
    this.#page.run({ day, job, rowsRead });
    for (const [category, counts] of categories) this.#pageCategory.run({ day, job, category, ...counts });
  }

  /** Call before the batch's outbox rows go: the counts are taken from them. */
  answered(tally: readonly BatchTally[], at: Date): void {
    const day = localDay(at);
    const hour = hourKey(at);
    const iso = at.toISOString();
    const byCategory = new Map<string, { delivered: number; rejected: number }>();
    let delivered = 0;
    for (const t of tally) {
      this.#answered.run({ day, job: t.job, category: t.category, delivered: t.delivered, rejected: t.rejected });
      const c = byCategory.get(t.category) ?? { delivered: 0, rejected: 0 };
      c.delivered += t.delivered;
      c.rejected += t.rejected;
      byCategory.set(t.category, c);
      delivered += t.delivered;
    }
    for (const [category, c] of byCategory) {
      this.#answeredHour.run({ hour, category, ...c });
      if (c.delivered > 0) this.#delivered.run({ at: iso, category });
    }
    this.#prune.run(hourKey(new Date(at.getTime() - KEEP_HOURS * HOUR_MS)));
    if (delivered > 0) this.#answeredMinute.run({ minute: minuteKey(at), delivered });
    this.#pruneMinutes.run(minuteKey(new Date(at.getTime() - KEEP_HOURS * HOUR_MS)));
  }

  /**
   * Records acknowledged as accepted, to the minute: the minutes that start
   * within [from, to] count whole, so the hour ending now is the current
   * minute and the 59 before it. Only the last 48 hours are kept.
   */
  deliveredBetween(from: Date, to: Date): number {
    const first = new Date(Math.ceil(from.getTime() / MINUTE_MS) * MINUTE_MS);
    if (Number.isNaN(first.getTime()) || Number.isNaN(to.getTime()) || first > to) return 0;
    return this.#deliveredBetween.get({ from: minuteKey(first), to: minuteKey(to) })!.n;
  }

  jobs(now: Date): JobStats[] {
    const day = localDay(now);
    const rows = new Map(this.#jobRows.all({ day }).map((r) => [r.job, r]));
    const byJob = new Map(this.#jobCounters.all({ day }).map((r) => [r.job, r]));
    const jobs = [...new Set([...rows.keys(), ...byJob.keys()])].sort();
    return jobs.map((job) => {
      const sums = byJob.get(job);
      const read = rows.get(job) ?? { today: 0, total: 0 };
      return {
        job,
        today: { ...today(sums), rowsRead: read.today },
        total: { ...total(sums), rowsRead: read.total },
      };
    });
  }

  categories(now: Date): CategoryStats[] {
    const day = localDay(now);
    const hours = new Map(this.#categoryHours.all(window24h(now)).map((r) => [r.category, r]));
    const state = new Map(this.#categoryState.all().map((r) => [r.category, r.lastDeliveredAt]));
    return this.#categoryCounters.all({ day }).map((sums) => ({
      category: sums.category,
      today: today(sums),
      total: total(sums),
      lastDeliveredAt: state.get(sums.category) ?? null,
      last24h: { delivered: hours.get(sums.category)?.delivered ?? 0, rejected: hours.get(sums.category)?.rejected ?? 0 },
    }));
  }

  totals(now: Date): Totals {
    const day = localDay(now);
    const sums = this.#allCounters.get({ day });
    const read = this.#allRows.get({ day })!;
    return {
      today: { ...today(sums), rowsRead: read.today },
      total: { ...total(sums), rowsRead: read.total },
      lastDeliveredAt: this.#lastDelivered.get()?.at ?? null,
      last24h: this.#allHours.get(window24h(now))!,
    };
  }
}

/**
 * The open rows hold one finding each, as rejections.ts stores them: a field
 * of '' is kept as NULL, and a rejection without findings as one UNSPECIFIED row.
 */
function sameFindings(open: readonly { field: string | null; code: string; message: string }[], rejection: LocalRejection): boolean {
  if (rejection.findings.length === 0) return open.length === 1 && open[0]!.code === 'UNSPECIFIED';
  const asText = (f: { field: string | null; code: string; message: string }) => JSON.stringify([f.field ?? '', f.code, f.message]);
  const a = open.map(asText).sort();
  const b = rejection.findings.map(asText).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function today(s: CounterSums | undefined): Counters {
  return {
    rowsRead: s?.tRows ?? 0, queued: s?.tQueued ?? 0, unchanged: s?.tUnchanged ?? 0,
    rejectedLocal: s?.tRejectedLocal ?? 0, delivered: s?.tDelivered ?? 0, rejectedPlatform: s?.tRejectedPlatform ?? 0,
  };
}

function total(s: CounterSums | undefined): Counters {
  return {
    rowsRead: s?.aRows ?? 0, queued: s?.aQueued ?? 0, unchanged: s?.aUnchanged ?? 0,
    rejectedLocal: s?.aRejectedLocal ?? 0, delivered: s?.aDelivered ?? 0, rejectedPlatform: s?.aRejectedPlatform ?? 0,
  };
}
