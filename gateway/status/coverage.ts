/**
 * Whether each catalog category of the department is reported as often as
 * the catalog asks. Pure: the caller brings the catalog rows, what feeds
 * them, the store's last deliveries and declarations, and the time.
 *
 * Reporting periods
 *   Calendar periods in China Standard Time (UTC+8, no daylight saving),
 *   whatever the machine's time zone: the credit center counts by Beijing
 *   dates.
 *     每日, 每天   the day        2026-11-27
 *     每周         the ISO week   2026-W48 (Monday to Sunday; the year is the
 *                                 one holding the week's Thursday, so
 *                                 2026-12-31 falls in 2026-W53 and
 *                                 2027-01-01 as well)
 *     每月         the month      2026-11
 *     每季度       the quarter    2026-Q4
 *     每年         the year       2026
 *     实时         the month: data flows continuously, but the credit
 *                  center counts arrivals in its monthly report (the notice:
 *                  "此项工作将纳入每月的全市工作通报").
 *   A frequency not in this list is treated as monthly, for the same reason.
 *   A period runs from its start (00:00 CST of its first day) up to, not
 *   including, its end (00:00 CST of the first day of the next period);
 *   dueAt is that end.
 *
 * States, decided in this order for the current period (the one holding `now`)
 *   declared  the department declared "no data" for the current period
 *             (first: a department with no such data at all declares it
 *             instead of feeding the category, and is then not missing it).
 *   unfed     no job or drop folder feeds the category.
 *   ok        something of the category was delivered at or after the
 *             current period's start.
 *   overdue   a feed existed before the previous period ended (its `since`
 *             is before the previous period's end), nothing was delivered
 *             since the previous period's start, and no "no data" was
 *             declared for the previous period: the previous period's data
 *             is missing.
 *   waiting   otherwise: fed, nothing yet this period, and not due yet (the
 *             previous period was delivered or declared, or the feed began
 *             in the current period, or a feed never ran: since null).
 *   Rows come overdue first, then unfed, waiting, declared, ok; by code within.
 */
import type { CatalogCategory } from '../catalog/types.js';
import type { CoverageRow } from './snapshot.js';

export interface Feed {
  category: string;
  /** A job name, or `folder:<source>` for a drop folder. */
  by: string;
  /** When the job first ran, or the folder's first file arrived; null if never. */
  since: string | null;
}

export interface Declaration {
  category: string;
  period: string;
  at: string;
  by: string | null;
  note: string | null;
}

export interface CoverageInput {
  /** The department's provider's categories plus any category a job or folder feeds; duplicates are listed once. */
  categories: readonly Readonly<CatalogCategory>[];
  feeds: readonly Feed[];
  /** Per category code: when a record of it was last accepted by the platform. */
  lastDelivered: ReadonlyMap<string, string | null>;
  declarations: readonly Declaration[];
  now: Date;
}

export interface ReportingPeriod {
  period: string;
  start: Date;
  /** Exclusive: the instant the next period starts. */
  end: Date;
}

const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

type Unit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const UNIT_OF_FREQUENCY: Readonly<Record<string, Unit>> = {
  每日: 'day',
  每天: 'day',
  每周: 'week',
  每月: 'month',
  每季度: 'quarter',
  每年: 'year',
  实时: 'month',
};

const STATE_ORDER: Readonly<Record<CoverageRow['state'], number>> = { overdue: 0, unfed: 1, waiting: 2, declared: 3, ok: 4 };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The instant a CST calendar date (month 0-based, may overflow) begins. */
function cstMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day) - CST_OFFSET_MS);
}

/** The reporting period of `frequency` that holds `at`. */
export function reportingPeriod(frequency: string, at: Date): ReportingPeriod {
  // The UTC fields of the shifted instant are the CST wall-clock fields.
  const cst = new Date(at.getTime() + CST_OFFSET_MS);
  const y = cst.getUTCFullYear();
  const m = cst.getUTCMonth();
  const d = cst.getUTCDate();
  switch (UNIT_OF_FREQUENCY[frequency] ?? 'month') {
    case 'day':
      return { period: `${y}-${pad(m + 1)}-${pad(d)}`, start: cstMidnight(y, m, d), end: cstMidnight(y, m, d + 1) };
    case 'week': {
      const monday = d - ((cst.getUTCDay() + 6) % 7);
      const thursday = new Date(Date.UTC(y, m, monday + 3));
      const weekYear = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / DAY_MS / 7) + 1;
      return { period: `${weekYear}-W${pad(week)}`, start: cstMidnight(y, m, monday), end: cstMidnight(y, m, monday + 7) };
    }
    case 'month':
      return { period: `${y}-${pad(m + 1)}`, start: cstMidnight(y, m, 1), end: cstMidnight(y, m + 1, 1) };
    case 'quarter': {
      const first = m - (m % 3);
      return { period: `${y}-Q${first / 3 + 1}`, start: cstMidnight(y, first, 1), end: cstMidnight(y, first + 3, 1) };
    }
    case 'year':
      return { period: `${y}`, start: cstMidnight(y, 0, 1), end: cstMidnight(y + 1, 0, 1) };
  }
}

/** Milliseconds since the epoch, or null for a missing or unreadable time. */
function time(iso: string | null | undefined): number | null {
  if (iso == null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

export function computeCoverage(input: CoverageInput): CoverageRow[] {
  const rows: CoverageRow[] = [];
  const seen = new Set<string>();
  for (const category of input.categories) {
    if (seen.has(category.code)) continue;
    seen.add(category.code);
    rows.push(coverageOf(category, input));
  }
  return rows.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function coverageOf(category: Readonly<CatalogCategory>, input: CoverageInput): CoverageRow {
  const current = reportingPeriod(category.frequency, input.now);
  const previous = reportingPeriod(category.frequency, new Date(current.start.getTime() - 1));
  const feeds = input.feeds.filter((f) => f.category === category.code);
  const lastDeliveredAt = input.lastDelivered.get(category.code) ?? null;
  const delivered = time(lastDeliveredAt);
  const declaration = declarationFor(input.declarations, category.code, current.period);

  let state: CoverageRow['state'];
  if (declaration) state = 'declared';
  else if (feeds.length === 0) state = 'unfed';
  else if (delivered !== null && delivered >= current.start.getTime()) state = 'ok';
  else {
    const fedBeforePreviousEnded = feeds.some((f) => {
      const since = time(f.since);
      return since !== null && since < previous.end.getTime();
    });
    const deliveredSincePrevious = delivered !== null && delivered >= previous.start.getTime();
    const previousDeclared = declarationFor(input.declarations, category.code, previous.period) !== null;
    state = fedBeforePreviousEnded && !deliveredSincePrevious && !previousDeclared ? 'overdue' : 'waiting';
  }

  return {
    code: category.code,
    name: category.name,
    frequency: category.frequency,
    infoType: category.infoType,
    fedBy: [...new Set(feeds.map((f) => f.by))],
    lastDeliveredAt,
    period: current.period,
    dueAt: current.end.toISOString(),
    state,
    declaration: declaration && { period: declaration.period, at: declaration.at, by: declaration.by, note: declaration.note },
  };
}

/** The newest declaration for the category and period (the store keeps one; a caller merging sources may bring more). */
function declarationFor(declarations: readonly Declaration[], category: string, period: string): Declaration | null {
  let found: Declaration | null = null;
  for (const d of declarations) {
    if (d.category === category && d.period === period && (found === null || d.at > found.at)) found = d;
  }
  return found;
}
