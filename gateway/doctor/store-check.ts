import type { StoreInspection } from '../store/inspect.js';
import type { Finding } from './contract.js';

/**
 * Store integrity: what `start` would refuse (lost, damaged, replaced:
 * store/data-folder.ts), `PRAGMA quick_check`, and the folder's privacy
 * (0700, files 0600). Read from an inspection made read-only without the
 * lock, so it is true of a running gateway's store too.
 */
export function checkStore(inspection: StoreInspection, dataDir: string): Finding[] {
  const base = { id: 'store', title: 'title.store' } as const;
  const privacy = { id: 'store-privacy', title: 'title.storePrivacy' } as const;
  const out: Finding[] = [];
  if (!inspection.folderExists) return [{ ...base, state: 'pass', message: 'store.notYet', params: { dataDir } }];
  const p = inspection.problem;
  if (p) {
    const key = ({ STORE_LOST: 'store.lost', STORE_DAMAGED: 'store.damaged', STORE_REPLACED: 'store.replaced' } as const)[p.code];
    out.push({ ...base, state: 'fail', message: key, fix: 'store.recover.fix', params: { dataDir, code: p.code, detail: p.detail } });
  } else if (!inspection.storeExists) {
    out.push({ ...base, state: 'pass', message: 'store.notYet', params: { dataDir } });
  } else if (inspection.damagedLines > 0) {
    out.push({ ...base, state: 'warn', message: 'store.damagedLines', fix: 'store.damagedLines.fix', params: { dataDir, pending: inspection.pending ?? 0, damaged: inspection.damagedLines } });
  } else {
    out.push({ ...base, state: 'pass', message: 'store.ok', params: { dataDir, pending: inspection.pending ?? 0 } });
  }
  if (inspection.loose.length > 0) {
    const files = inspection.loose.map((l) => `${l.file} (${l.mode.toString(8)})`).join(', ');
    const commands = inspection.loose.map((l) => `chmod ${l.wanted.toString(8)} '${l.file}'`).join('; ');
    out.push({ ...privacy, state: 'fail', message: 'storePrivacy.loose', fix: 'storePrivacy.loose.fix', params: { files, commands } });
  } else {
    out.push({ ...privacy, state: 'pass', message: 'storePrivacy.ok', params: { dataDir } });
  }
  return out;
}
