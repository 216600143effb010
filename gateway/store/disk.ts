/**
 * The store's room on disk, watched: free space on the data folder's
 * filesystem, the store's size, a reserve file, and the WAL.
 *
 * Why a reserve: on a full disk the platform's acknowledgement is the one
 * write that must land, or the same batch is sent forever. The reserve
 * (`store.reserveMiB`, a file of zeros in the data folder) is given up when an
 * acknowledgement, or the batch before it, meets SQLITE_FULL, after a WAL
 * checkpoint; the write is tried once more in the room it left. It is made
 * again once there is room for it above the floor, and until then reading
 * stays paused (disk-pressure.ts), so reading never eats the room delivery
 * needs. Nothing queued is ever evicted to make room.
 *
 * Why checkpoints: a WAL is only reused, never shrunk, unless a checkpoint
 * empties it while no reader holds it; the guard runs wal_checkpoint(TRUNCATE)
 * on every tick and whenever the queue drains, and the store's
 * journal_size_limit cuts the file back after a checkpoint. When the queue
 * drains, the store's free pages are given back too (drained).
 */
import { closeSync, existsSync, fsyncSync, openSync, statfsSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DeliveryStore } from '../delivery/contract.js';
import { describePressure, diskPressure, isDiskFull, mayRecreateReserve, PRESSURE_CODES, type DiskLimits, type DiskPressure, type PressureReason } from './disk-pressure.js';

export interface DiskState extends DiskPressure {
  freeBytes: number;
  storeBytes: number;
  walBytes: number;
  /** The free space reading waits for: store.minFreeMiB, plus store.reserveMiB while the reserve is to be made again. */
  minFreeBytes: number;
  maxStoreBytes: number | null;
  reserveHeld: boolean;
  /** The catalogue code of the pause (STORE_DISK_FULL …), null when reading runs. */
  code: string | null;
  /** In English, for /readyz and the log. */
  message: string;
}

export interface DiskGuardOptions {
  dataDir: string;
  store: { checkpoint(): boolean; usage(): { usedBytes: number; walBytes: number }; reclaim?(): number };
  limits: DiskLimits;
  /** 0: no reserve. */
  reserveBytes: number;
  logger: Logger;
  /** Reading paused or resumed, or paused for another reason (`before`: the reason it had). */
  onChange?: (state: DiskState, before: PressureReason | null) => void;
  /** How often to measure and checkpoint between the checks reading makes itself (default 10 s). */
  tickMs?: number;
}

export const RESERVE_FILE = 'gateway.reserve';
const CHUNK = 1024 * 1024;
/**
 * Room that must come back after SQLITE_FULL before reading resumes, also
 * with no floor: without it the page that just failed would be tried on
 * every tick, and a full disk would never show.
 */
const FULL_MARGIN = 1024 * 1024;

export class DiskGuard {
  readonly #o: DiskGuardOptions;
  readonly #reservePath: string;
  #reserveHeld: boolean;
  #fullSeen = false;
  /** Free bytes when SQLITE_FULL was last met: the disk counts as full until more than FULL_MARGIN was freed since. */
  #freeAtFull = 0;
  #state: DiskState;
  #timer: NodeJS.Timeout | null = null;
  /** The code of the last failed measurement (timed tick or paused()), so a lasting failure is logged once. */
  #measureFailed: string | null = null;

  constructor(options: DiskGuardOptions) {
    this.#o = options;
    this.#reservePath = join(options.dataDir, RESERVE_FILE);
    this.#reserveHeld = options.reserveBytes === 0;
    this.#state = { paused: false, reason: null, freeBytes: 0, storeBytes: 0, walBytes: 0, minFreeBytes: options.limits.minFreeBytes, maxStoreBytes: options.limits.maxStoreBytes, reserveHeld: this.#reserveHeld, code: null, message: '' };
  }

  /** Makes the reserve (when there is room), measures, and measures and checkpoints on every tick. */
  start(): void {
    if (this.#o.reserveBytes > 0 && existsSync(this.#reservePath) && statSync(this.#reservePath).size === this.#o.reserveBytes) this.#reserveHeld = true;
    this.check();
    this.#timer ??= setInterval(() => this.#timedTick(), this.#o.tickMs ?? 10_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /**
   * A tick from the timer: a thrown error there would end the process, and a
   * disk that cannot be measured for a while (a data folder gone from under a
   * stopping gateway, a stale mount) is worth a warning, not a crash. The
   * last measurement stands until one succeeds.
   */
  #timedTick(): void {
    try {
      this.tick();
      this.#measureFailed = null;
    } catch (err) {
      this.#noteMeasureFailed(err);
    }
  }

  #noteMeasureFailed(err: unknown): void {
    const code = (err as { code?: string }).code ?? 'UNKNOWN';
    if (this.#measureFailed !== code) this.#o.logger.warn({ err, dataDir: this.#o.dataDir }, 'the data folder\'s disk could not be measured; trying again at the next tick');
    this.#measureFailed = code;
  }

  /** A checkpoint, then a measurement. */
  tick(): void {
    this.#o.store.checkpoint();
    this.check();
  }

  /**
   * The queue drained: the outbox's free pages are given back (Store.reclaim)
   * before the checkpoint, which then truncates the file. Only here, not on
   * every tick: during a backlog freed pages are reused by the rows queued
   * next, and giving them back would move the queue's newest pages into them.
   * Not on a full disk, where moving pages needs WAL room acknowledgements need more.
   */
  drained(): void {
    if (!this.#fullSeen) this.#o.store.reclaim?.();
    this.tick();
  }

  /** Measures now; re-makes the reserve when there is room; reports a change of pause. */
  check(): DiskState {
    const { limits, reserveBytes } = this.#o;
    let freeBytes = this.#free();
    if (!this.#reserveHeld && mayRecreateReserve(freeBytes, reserveBytes, limits.minFreeBytes)) {
      this.#makeReserve();
      freeBytes = this.#free();
    }
    if (this.#fullSeen && this.#reserveHeld && freeBytes >= limits.minFreeBytes && freeBytes > this.#freeAtFull + FULL_MARGIN) this.#fullSeen = false;
    let usage = { usedBytes: 0, walBytes: 0 };
    try {
      usage = this.#o.store.usage();
    } catch {
      // A closed store reads as empty: the gateway is stopping.
    }
    const reading = { freeBytes, storeBytes: usage.usedBytes, reserveHeld: this.#reserveHeld, fullSeen: this.#fullSeen };
    const pressure = diskPressure(reading, limits);
    const before = this.#state;
    this.#state = {
      ...pressure, freeBytes, storeBytes: usage.usedBytes, walBytes: usage.walBytes,
      minFreeBytes: this.#floor(), maxStoreBytes: limits.maxStoreBytes, reserveHeld: this.#reserveHeld,
      code: pressure.reason ? PRESSURE_CODES[pressure.reason] : null,
      message: describePressure(pressure, reading, { ...limits, minFreeBytes: this.#floor() }),
    };
    if (before.reason !== pressure.reason) this.#changed(before.reason);
    return this.state();
  }

  /**
   * Whether reading may not start a page now (measured now: a page can be
   * large). Never throws, for the timed tick's reason: a disk that cannot be
   * measured must not fail a job run, so the last good measurement decides
   * (not paused when there was none, as the guard starts), with one warning
   * for a lasting failure.
   */
  paused(): boolean {
    try {
      const { paused } = this.check();
      this.#measureFailed = null;
      return paused;
    } catch (err) {
      this.#noteMeasureFailed(err);
      return this.#state.paused;
    }
  }

  /** The last measurement. */
  state(): DiskState {
    return { ...this.#state };
  }

  /** Reading met SQLITE_FULL (its page was rolled back): pause until there is room again. */
  noteFull(): void {
    this.#fullSeen = true;
    this.#freeAtFull = this.#free();
    this.check();
  }

  /**
   * A write delivery needs (the next batch, an answer): on SQLITE_FULL the
   * WAL is checkpointed and the reserve given up, and the write tried once
   * more. Throws when it still does not fit: the caller keeps the answer and
   * tries again later.
   */
  mustWrite<T>(write: () => T): T {
    try {
      return write();
    } catch (err) {
      if (!isDiskFull(err)) throw err;
      this.#relieve();
      return write();
    }
  }

  #relieve(): void {
    this.#fullSeen = true;
    this.#freeAtFull = this.#free();
    this.#o.store.checkpoint();
    if (this.#o.reserveBytes > 0 && this.#reserveHeld) {
      this.#dropReserve();
      this.#o.logger.warn({ reserveBytes: this.#o.reserveBytes }, 'disk full: reserve released so acknowledgements can be recorded');
    }
    this.check();
  }

  /** The change is logged and counted through onChange (a typed event), not here. */
  #changed(before: PressureReason | null): void {
    this.#o.onChange?.(this.state(), before);
  }

  /** The free space reading waits for: the floor, and room for the reserve while it is to be made again. */
  #floor(): number {
    return this.#o.limits.minFreeBytes + (this.#reserveHeld ? 0 : this.#o.reserveBytes);
  }

  #free(): number {
    const fs = statfsSync(this.#o.dataDir);
    return Number(fs.bavail) * Number(fs.bsize);
  }

  #makeReserve(): void {
    const zeros = Buffer.alloc(Math.min(CHUNK, this.#o.reserveBytes));
    let fd: number | null = null;
    try {
      fd = openSync(this.#reservePath, 'w', 0o600);
      for (let left = this.#o.reserveBytes; left > 0; left -= zeros.length) writeSync(fd, zeros, 0, Math.min(left, zeros.length));
      fsyncSync(fd);
      this.#reserveHeld = true;
    } catch (err) {
      this.#o.logger.warn({ err }, 'the disk reserve could not be made; trying again when there is room');
      this.#dropReserve();
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }

  #dropReserve(): void {
    this.#reserveHeld = false;
    try {
      unlinkSync(this.#reservePath);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Delivery's view of the store with every write that records the platform's
 * answer (or the batch it answers) made through mustWrite, the batch read
 * ahead only without disk pressure; a failed attempt
 * that cannot be noted for lack of room is only logged (it feeds the status
 * page, nothing depends on it).
 */
export function diskAwareDeliveryStore(store: DeliveryStore, guard: DiskGuard, logger: Logger): DeliveryStore {
  return {
    nextBatch: (limits, newBatchId) => guard.mustWrite(() => store.nextBatch(limits, newBatchId)),
    // Reading ahead is a convenience: under disk pressure it neither runs nor releases the reserve,
    // which is kept for recording answers (a failure here only means the batch is read after its answer).
    ...(store.batchAfter ? { batchAfter: (batchId, limits, newBatchId) => (guard.state().paused ? null : store.batchAfter!(batchId, limits, newBatchId)) } : {}),
    acknowledge: (batchId, result) => guard.mustWrite(() => store.acknowledge(batchId, result)),
    rejectBatch: (batchId, code, message, at) => guard.mustWrite(() => store.rejectBatch(batchId, code, message, at)),
    splitBatch: (batchId, newBatchId) => guard.mustWrite(() => store.splitBatch(batchId, newBatchId)),
    recordAttempt: (batchId, failure) => {
      try {
        store.recordAttempt(batchId, failure);
      } catch (err) {
        if (!isDiskFull(err)) throw err;
        logger.warn({ batchId, code: failure.code }, 'disk full: a failed delivery attempt was not noted in the store');
      }
    },
    queueStats: () => store.queueStats(),
  };
}
