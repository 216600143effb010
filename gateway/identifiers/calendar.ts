/**
 * Calendar facts shared by identity numbers and mapped dates. Dates are
 * handled as 'YYYY-MM-DD' strings, which sort like the dates they name, so no
 * time zone can shift a day.
 */

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether year-month-day names a day that exists (1000-01-01 to 9999-12-31). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day) &&
    year >= 1000 && year <= 9999 &&
    month >= 1 && month <= 12 &&
    day >= 1 && day <= daysInMonth(year, month)
  );
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/**
 * The calendar date in China (UTC+8, no daylight saving) at an instant.
 * Departments record days in local time, so "today" and dates read from
 * timestamps are taken there, not in UTC. Null for an unparseable instant.
 */
export function chinaDate(instant: string | number | Date): string | null {
  const ms = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (Number.isNaN(ms)) return null;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * An instant as Beijing wall-clock time, `YYYY-MM-DD HH:mm:ss`, whatever the
 * machine's zone: deadlines and periods are the credit center's, counted in
 * 北京时间. Null for an unparseable instant.
 */
export function beijingTime(instant: string | number | Date): string | null {
  const ms = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (Number.isNaN(ms)) return null;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
