import { existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GatewayConfig } from '../../config/schema.js';
import type { Finding } from './contract.js';

const MIB = 1024 * 1024;

/**
 * Disk space for the store, against the thresholds the running gateway
 * pauses reading at (store/disk-pressure.ts): below store.minFreeMiB free it
 * pauses (fail); with less than twice that floor and the reserve free, a
 * day's backlog may bring it there (warn); at store.maxSizeMiB it pauses
 * (fail), within a tenth of it warn.
 */
export function checkDisk(config: Readonly<GatewayConfig>, dataDir: string, storeBytes: number): Finding {
  const base = { id: 'disk', title: 'title.disk' } as const;
  let at = dataDir;
  // A data folder not made yet lives on its parent's disk.
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const fs = statfsSync(at);
  const freeBytes = Number(fs.bavail) * Number(fs.bsize);
  const s = config.store;
  const params = {
    dataDir, freeMiB: Math.floor(freeBytes / MIB), minFreeMiB: s.minFreeMiB, reserveMiB: s.reserveMiB,
    storeMiB: Math.ceil(storeBytes / MIB), maxSizeMiB: s.maxSizeMiB ?? 0,
  };
  if (freeBytes < s.minFreeMiB * MIB) return { ...base, state: 'fail', message: 'disk.low', fix: 'disk.low.fix', params };
  if (s.maxSizeMiB !== undefined && storeBytes >= s.maxSizeMiB * MIB) return { ...base, state: 'fail', message: 'disk.cap', fix: 'disk.cap.fix', params };
  if (freeBytes < (s.minFreeMiB + s.reserveMiB) * MIB * 2) return { ...base, state: 'warn', message: 'disk.tight', fix: 'disk.low.fix', params };
  if (s.maxSizeMiB !== undefined && storeBytes >= s.maxSizeMiB * MIB * 0.9) return { ...base, state: 'warn', message: 'disk.nearCap', fix: 'disk.cap.fix', params };
  return { ...base, state: 'pass', message: s.maxSizeMiB === undefined ? 'disk.ok' : 'disk.okCap', params };
}
