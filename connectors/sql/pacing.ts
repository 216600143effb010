/**
 * The rows-per-second cap. Each page "costs" rows / cap seconds; the next
 * page may start only when the previous pages are paid for. Idle time earns
 * no credit (an hourly job does not burst at its start), so the average rate
 * over any stretch of reading stays under the cap, give or take one page.
 */

/** When the next page may start, given when it could have started and what the last page read. */
export function nextReadAt(notBeforeMs: number, pageStartedMs: number, rows: number, rowsPerSecond: number | undefined): number {
  if (!rowsPerSecond || rowsPerSecond <= 0 || rows <= 0) return notBeforeMs;
  return Math.max(notBeforeMs, pageStartedMs) + (rows * 1000) / rowsPerSecond;
}

/** How long to wait before reading, never negative. */
export function waitBeforeRead(notBeforeMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil(notBeforeMs - nowMs));
}
