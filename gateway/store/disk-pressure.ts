/**
 * When reading must pause for lack of room, decided from one measurement;
 * pure, so every threshold is tested without filling a disk.
 *
 * Reading pauses (delivery and acknowledgements never do) when
 *   - the store hit SQLITE_FULL, or gave up its reserve to record an
 *     acknowledgement, and the reserve is not back yet: the disk is full;
 *   - free space on the data folder's filesystem is below the floor, or
 *     too low to make the reserve above it;
 *   - the store (pages in use and the WAL) reached its cap.
 * Each pause lifts by itself once the measurement says so: reading then
 * resumes from the cursor of the last committed page.
 */
import type { GatewayErrorCode } from '../errors.js';

export interface DiskLimits {
  /** Free bytes on the data folder's filesystem below which reading pauses. */
  minFreeBytes: number;
  /** Store bytes (used pages + WAL) at which reading pauses; null: no cap. */
  maxStoreBytes: number | null;
}

export interface DiskReading {
  /** Free bytes for the gateway's user on the data folder's filesystem. */
  freeBytes: number;
  /** The store's pages in use plus its WAL. */
  storeBytes: number;
  /** False while the reserve was given up (or could not be made) and not re-created. */
  reserveHeld: boolean;
  /** SQLITE_FULL seen since the last measurement with room above the floor. */
  fullSeen: boolean;
}

export type PressureReason = 'disk_full' | 'low_space' | 'size_cap';

export interface DiskPressure {
  paused: boolean;
  reason: PressureReason | null;
}

/** The catalogue code the status page and /readyz show for a reason. */
export const PRESSURE_CODES: Record<PressureReason, Extract<GatewayErrorCode, `STORE_${string}`>> = {
  disk_full: 'STORE_DISK_FULL',
  low_space: 'STORE_LOW_SPACE',
  size_cap: 'STORE_SIZE_CAP',
};

export function diskPressure(r: DiskReading, limits: DiskLimits): DiskPressure {
  if (r.fullSeen) return { paused: true, reason: 'disk_full' };
  // Never full, but no room to make the reserve above the floor: reading would eat the room acknowledgements need.
  if (r.freeBytes < limits.minFreeBytes || !r.reserveHeld) return { paused: true, reason: 'low_space' };
  if (limits.maxStoreBytes !== null && r.storeBytes >= limits.maxStoreBytes) return { paused: true, reason: 'size_cap' };
  return { paused: false, reason: null };
}

/**
 * Whether the reserve may be made again: only with room for it above the
 * floor, so making it never pushes free space under the floor and reading
 * resumes only with both the reserve and the floor back.
 */
export function mayRecreateReserve(freeBytes: number, reserveBytes: number, minFreeBytes: number): boolean {
  return freeBytes >= reserveBytes + minFreeBytes;
}

/** SQLite's "database or disk is full" (better-sqlite3 puts the result code in `code`). */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || (typeof code === 'string' && code.startsWith('SQLITE_IOERR') && /disk is full|No space/i.test(String((err as Error).message)));
}

/** The pause in words, for /readyz and the log (the status page has its own, in Chinese first). */
export function describePressure(p: DiskPressure, r: Pick<DiskReading, 'freeBytes' | 'storeBytes'>, limits: DiskLimits): string {
  const mib = (n: number) => `${Math.floor(n / 1048576)} MiB`;
  switch (p.reason) {
    case null:
      return `disk ok: ${mib(r.freeBytes)} free, store ${mib(r.storeBytes)}`;
    case 'disk_full':
      return 'reading paused: the disk of the data folder is full; acknowledgements are still recorded. Free space on that disk';
    case 'low_space':
      return `reading paused: ${mib(r.freeBytes)} free on the data folder's disk, below store.minFreeMiB (${mib(limits.minFreeBytes)}). Free space on that disk`;
    case 'size_cap':
      return `reading paused: the store holds ${mib(r.storeBytes)}, at store.maxSizeMiB (${mib(limits.maxStoreBytes ?? 0)}) until the platform takes what is queued. Check delivery, or raise store.maxSizeMiB`;
  }
}
