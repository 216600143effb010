/**
 * Naive timestamps ↔ UTC instants in an IANA zone, with Intl only.
 *
 * Most department databases store DATETIME/TIMESTAMP without a zone: the
 * wall-clock time of wherever the application ran. The source's configured
 * zone says which wall clock that was. Records carry ISO-8601 UTC with
 * milliseconds; cursors carry the same strings and are turned back into the
 * column's wall-clock time before they are bound.
 *
 * Finer fractions than milliseconds are TRUNCATED, never rounded: a cursor
 * can then only be at or below the last row really read, so the next page may
 * re-read a few rows (the store drops them by fingerprint) but can never jump
 * over one, which would lose it for ever.
 *
 * Wall-clock times that do not exist (the hour skipped when DST starts) are
 * moved forward by the gap, and those that exist twice (DST end) take the
 * earlier instant, as Temporal's 'compatible' disambiguation does. Either
 * choice is consistent between normalising and binding back, which is what
 * keeps paging exact.
 */

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?$/;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Epoch milliseconds of the given fields read as UTC (years 0–9999, no two-digit-year quirk). */
function utcEpoch(f: WallClock): number {
  // Date.UTC reads years 0–99 as 1900–1999; above them it is the same, without a Date per value.
  if (f.year >= 100) return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.millisecond);
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, f.millisecond);
  return d.getTime();
}

/**
 * Offset of the zone from UTC at an instant, in milliseconds (east positive).
 *
 * Asking Intl costs microseconds and every timestamp of every row asks three
 * or four times, so offsets are remembered per zone and clock hour. An hour
 * whose first and last second have the same offset holds no transition (no
 * zone changes twice within an hour), so every instant in it has that
 * offset; an hour that holds one (DST, or an odd-second LMT change) is asked
 * of Intl instant by instant, as before.
 */
function offsetAt(epochMs: number, timeZone: string): number {
  const hour = Math.floor(epochMs / HOUR_MS);
  let hours = offsetHours.get(timeZone);
  if (!hours) {
    hours = new Map();
    offsetHours.set(timeZone, hours);
  }
  let known = hours.get(hour);
  if (known === undefined) {
    const first = exactOffsetAt(hour * HOUR_MS, timeZone);
    known = first === exactOffsetAt(hour * HOUR_MS + HOUR_MS - 1000, timeZone) ? first : TRANSITION;
    // Bounded: a table's timestamps cluster, but a scan over decades must not grow this without end.
    if (hours.size >= MAX_REMEMBERED_HOURS) hours.clear();
    hours.set(hour, known);
  }
  return known === TRANSITION ? exactOffsetAt(epochMs, timeZone) : known;
}

const HOUR_MS = 3_600_000;
const MAX_REMEMBERED_HOURS = 100_000;
/** Marks an hour that holds a transition: no offset is an odd number of milliseconds. */
const TRANSITION = 0.5;
const offsetHours = new Map<string, Map<number, number>>();

/** The offset as Intl tells it, at the whole second. */
function exactOffsetAt(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(whole))) parts[p.type] = p.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const local = utcEpoch({
    year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: 0,
  });
  return local - whole;
}

/** For tests: the offset as remembered and as Intl tells it, which must always agree. */
export function offsetsForTest(epochMs: number, timeZone: string): { remembered: number; exact: number } {
  return { remembered: offsetAt(epochMs, timeZone), exact: exactOffsetAt(epochMs, timeZone) };
}

/** The digits at [at, at + n) as a number, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * 'YYYY-MM-DD HH:mm:ss[.f…]', as databases write a timestamp: read without a match array, as every
 * timestamp of every row is. Null for any other shape, which the pattern then reads.
 */
function parseSeconds(text: string): WallClock | null {
  const length = text.length;
  if (length < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const separator = text.charCodeAt(10);
  if (separator !== 32 && separator !== 84) return null;
  let millisecond = 0;
  if (length > 19) {
    const point = text.charCodeAt(19);
    if ((point !== 46 && point !== 44) || length === 20 || digitsAt(text, 20, length - 20) < 0) return null;
    // Truncated to the millisecond, see above: '.5' is 500, '.123456' is 123.
    const digits = Math.min(3, length - 20);
    millisecond = digitsAt(text, 20, digits) * (digits === 1 ? 100 : digits === 2 ? 10 : 1);
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  return { year, month, day, hour, minute, second, millisecond };
}

function parseNaive(text: string): WallClock | null {
  const f = parseSeconds(text) ?? parseByPattern(text);
  if (!f || f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 23 || f.minute > 59 || f.second > 59) return null;
  return f;
}

function parseByPattern(text: string): WallClock | null {
  const m = NAIVE.exec(text.trim());
  if (!m) return null;
  const fraction = (m[7] ?? '').slice(0, 3).padEnd(3, '0'); // truncate, see above
  const f: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: Number(fraction),
  };
  return f;
}

/** The UTC instant (epoch ms) of a wall-clock time in a zone. */
export function wallClockToEpoch(f: WallClock, timeZone: string): number {
  const asUtc = utcEpoch(f);
  // Two probes bracket any transition near the wall-clock time: the offset a
  // day before and after (no zone changes twice within two days).
  const before = offsetAt(asUtc - 86_400_000, timeZone);
  const after = offsetAt(asUtc + 86_400_000, timeZone);
  // The same offset on both sides: no transition in between, so the one candidate below is the answer
  // (every timestamp of every row comes here, and most zones have no transition in years).
  if (before === after) return asUtc - before;
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((epoch) => epoch + offsetAt(epoch, timeZone) === asUtc)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!; // the earlier of two on DST end
  // In the gap when DST starts: read it with the offset from before the gap,
  // which lands the same distance past the gap.
  return asUtc - before;
}

/** 'YYYY-MM-DD HH:mm:ss[.fffffffff]' (or 'T'), wall clock in `timeZone` → 'YYYY-MM-DDTHH:mm:ss.SSSZ'. Null when not a timestamp. */
export function naiveLocalToIso(naive: string, timeZone: string): string | null {
  const f = parseNaive(naive);
  if (!f) return null;
  return isoFromEpoch(wallClockToEpoch(f, timeZone));
}

/**
 * A Date whose UTC fields hold a wall-clock time (what drivers give for a
 * naive timestamp when told to read it as UTC) → ISO UTC of that wall-clock
 * time in `timeZone`.
 */
export function wallClockDateToIso(date: Date, timeZone: string): string {
  return isoFromEpoch(
    wallClockToEpoch(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
        millisecond: date.getUTCMilliseconds(),
      },
      timeZone,
    ),
  );
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/** Whether a value is a normalised timestamp (ISO-8601 UTC with 'Z'). */
export function isIsoUtc(value: unknown): value is string {
  return typeof value === 'string' && ISO_UTC.test(value);
}

/** Epoch ms of an ISO UTC string, fractions beyond milliseconds truncated; null when not one. */
export function isoToEpoch(iso: string): number | null {
  const m = ISO_UTC.exec(iso);
  if (!m) return null;
  return utcEpoch({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    millisecond: Number((m[7] ?? '').slice(0, 3).padEnd(3, '0')),
  });
}

/** 0001-01-01T00:00:00Z (Date.UTC would read the year 1 as 1901). */
const YEAR_1 = -62_135_596_800_000;
const YEAR_10000 = Date.UTC(10_000, 0, 1);

/** Epoch ms → 'YYYY-MM-DDTHH:mm:ss.SSSZ' (four-digit years, unlike toISOString for year 0). */
export function isoFromEpoch(epochMs: number): string {
  const d = new Date(epochMs);
  // Years 1–9999: toISOString writes the same text natively, without a dozen strings per timestamp.
  if (epochMs >= YEAR_1 && epochMs < YEAR_10000) return d.toISOString();
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}Z`;
}

/**
 * ISO UTC → the wall-clock time in `timeZone` as 'YYYY-MM-DD HH:mm:ss.SSS'
 * (what a naive column compares against), with any digits beyond the
 * millisecond kept as they are: zone offsets are whole seconds, so they never
 * touch them.
 */
export function isoToNaiveLocal(iso: string, timeZone: string): string | null {
  const epoch = isoToEpoch(iso);
  if (epoch === null) return null;
  const local = isoFromEpoch(epoch + offsetAt(epoch, timeZone));
  return `${local.slice(0, 10)} ${local.slice(11, 23)}${subMillisecondDigits(iso)}`;
}

/** The fraction digits of an ISO UTC string beyond the third ('456' of '….123456Z'); '' when none. */
export function subMillisecondDigits(iso: string): string {
  return ISO_UTC.exec(iso)?.[7]?.slice(3) ?? '';
}

/**
 * A cursor value without loss: the normalised timestamp (milliseconds) with
 * the finer digits the driver's own value holds put back, e.g.
 * '2026-01-01T04:00:00.123Z' and '2026-01-01 12:00:00.123456' →
 * '2026-01-01T04:00:00.123456Z'. The finer digits are read from the driver's
 * text (PostgreSQL, MySQL, SQLite), or from the 100 ns remainder tedious adds
 * to a Date (`nanosecondsDelta`). Anything else is returned as it is.
 * The digits are kept as the database spelt them, trailing zeros included:
 * a database that compares text (SQLite) must get back the very spelling it
 * stores; positions are compared digit by digit (compareIso), zeros padded.
 */
export function exactTimestamp(normalised: unknown, raw: unknown): unknown {
  if (typeof normalised !== 'string' || !isIsoUtc(normalised)) return normalised;
  const finer = finerDigits(raw);
  if (!finer) return normalised;
  return `${normalised.slice(0, 23)}${finer}Z`;
}

function finerDigits(raw: unknown): string {
  if (typeof raw === 'string') {
    const m = /\d{2}:\d{2}:\d{2}[.,](\d+)/.exec(raw);
    return m ? m[1]!.slice(3) : '';
  }
  if (raw instanceof Date) {
    const delta = (raw as Date & { nanosecondsDelta?: unknown }).nanosecondsDelta;
    // tedious: the part of the second below the millisecond, in seconds, at 100 ns precision.
    if (typeof delta === 'number' && delta > 0) return String(Math.round(delta * 1e7)).padStart(4, '0');
  }
  return '';
}

/**
 * Orders two ISO UTC strings to the last digit they carry (Date.parse stops
 * at the millisecond); null when either is not one.
 */
export function compareIso(a: string, b: string): number | null {
  const ea = isoToEpoch(a);
  const eb = isoToEpoch(b);
  if (ea === null || eb === null) return null;
  if (ea !== eb) return Math.sign(ea - eb);
  const fa = subMillisecondDigits(a);
  const fb = subMillisecondDigits(b);
  const width = Math.max(fa.length, fb.length);
  const da = fa.padEnd(width, '0');
  const db = fb.padEnd(width, '0');
  return da === db ? 0 : da < db ? -1 : 1;
}

/** Epoch ms → a Date whose UTC fields hold the wall-clock time in `timeZone` (for drivers that bind naive timestamps from UTC fields). */
export function epochToWallClockDate(epochMs: number, timeZone: string): Date {
  return new Date(epochMs + offsetAt(epochMs, timeZone));
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}
