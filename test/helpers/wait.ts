/** Waiting for a condition in tests: poll, never assert on elapsed time. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `what` every 100 ms until `ok` holds or `ms` pass; returns the last value (the test asserts on it). */
export async function until<T>(what: () => T, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = what();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(100);
    value = what();
  }
  return value;
}

/**
 * `until`, for a wait the test does not assert on itself: when `ok` still
 * does not hold after `ms`, it throws naming what was awaited, so the test
 * fails there instead of going on from a state it did not reach.
 */
export async function untilOrFail<T>(what: () => T, ok: (v: T) => boolean, label: string, ms = 60_000): Promise<T> {
  const value = await until(what, ok, ms);
  if (!ok(value)) throw new Error(`timed out after ${ms} ms waiting until ${label} (last value: ${JSON.stringify(value)})`);
  return value;
}
