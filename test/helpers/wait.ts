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
