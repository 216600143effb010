/**
 * When a category's job runs by default, from the frequency the notice gives
 * it. The notice asks departments to shorten their cycles over time, so a job
 * may override this; it is only the starting point. Batch runs start at 02:00,
 * outside office hours.
 */
export type Schedule = { intervalSecs: number } | { cron: string };

const CRON_OF_FREQUENCY: Readonly<Record<string, string>> = {
  每日: '0 2 * * *',
  每天: '0 2 * * *',
  每周: '0 2 * * 1',
  每月: '0 2 1 * *',
  每季度: '0 2 1 1,4,7,10 *',
  每年: '0 2 1 1 *',
};

/** Every frequency a catalog row may state. */
export const CATALOG_FREQUENCIES: readonly string[] = Object.freeze(['实时', ...Object.keys(CRON_OF_FREQUENCY)]);

/** 实时 means "poll continuously": every realtimePollSecs seconds. */
export function frequencyToSchedule(frequency: string, realtimePollSecs: number): Schedule {
  if (frequency === '实时') {
    if (!Number.isInteger(realtimePollSecs) || realtimePollSecs <= 0) {
      throw new Error(`realtimePollSecs must be a positive whole number of seconds, got ${realtimePollSecs}`);
    }
    return { intervalSecs: realtimePollSecs };
  }
  const cron = CRON_OF_FREQUENCY[frequency];
  if (cron === undefined) {
    throw new Error(`unknown catalog frequency "${frequency}"; expected one of ${CATALOG_FREQUENCIES.join(', ')}`);
  }
  return { cron };
}
