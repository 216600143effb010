/**
 * How much memory V8 and the C library keep for a bulk run.
 *
 * The heaps' old generation: a bulk run turns over tens of megabytes of
 * pages a second, almost all of it garbage within a page's time, yet V8's
 * default growing factor (up to 4×) let each of the two threads' heaps
 * reach 130–170 MB before a full collection (a heap snapshot mid-run found
 * 34 MB alive). 1.25× keeps both near what they hold: measured on a
 * 100,000-row run, peak RSS 500 → 380 MB at the same speed. The flag is
 * read at each collection, so it takes effect when set at start, for every
 * thread of the process.
 *
 * The young generation and malloc's arenas can only be set when the process
 * starts, so the release's launcher (scripts/release/files/credit-gateway)
 * passes LAUNCH_NODE_FLAGS and LAUNCH_ENV, and the benchmark starts the
 * gateway with them too. V8 lets a semi-space grow to 16 MiB (two of them a
 * thread): between two scavenges the main thread then leaves tens of
 * megabytes of dead pages and their buffers (mysql2's socket chunks, the
 * structured copies to and from the mapping thread) to malloc, which keeps
 * them as its own. At 4 MiB they are given back four times as often;
 * glibc's default of 8 arenas per core lets each thread and libuv's pool
 * hold their own freed memory, 2 share it. Measured on a 100,000-row run
 * (2 cores, shared, back to back): peak RSS delivering 376–405 → 245–303
 * MB, `--no-deliver` 331–337 → 235–253 MB.
 *
 * glibc also raises its mmap threshold each time a large block is freed
 * (up to 32 MiB), after which pages' and batches' buffers of a few
 * megabytes come from the heap it grows with brk, where a single block
 * still in use above them keeps every freed one resident. A fixed
 * threshold of 128 KiB (its default, which setting it stops from moving)
 * maps each large buffer on its own and gives it back when it is freed:
 * measured on a 1,000,000-row delivering run, peak RSS 270–271 → 257 MB
 * (the brk heap 114 → 58 MB).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 25;

/** Node options the launcher passes; keep in step with scripts/release/files/credit-gateway. */
export const LAUNCH_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
/** Environment the launcher sets unless already set; keep in step with the launcher. */
export const LAUNCH_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

export function keepHeapsSmall(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
