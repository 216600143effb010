import { existsSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { StoreInspection } from '../store/inspect.js';
import type { Finding } from './contract.js';

/**
 * Version of the software and of the store: the store's last migration
 * (user_version) against this build's newest. Older is migrated at the next
 * start; newer was written by a newer release, which this one must not run
 * on. Where the install layout is known (CREDIT_GATEWAY_HOME, set by the
 * launcher), the versions `current` and `previous` point at are named too.
 */
export function checkVersion(software: string, inspection: StoreInspection, env: NodeJS.ProcessEnv): Finding {
  const base = { id: 'version', title: 'title.version' } as const;
  const home = env.CREDIT_GATEWAY_HOME;
  const link = (name: string) => {
    const path = home ? join(home, name) : '';
    try {
      return path && existsSync(path) ? basename(readlinkSync(path)) : '-';
    } catch {
      return '-';
    }
  };
  const params = {
    software, store: inspection.storeVersion ?? '-', build: inspection.buildVersion,
    current: link('current'), previous: link('previous'),
  };
  if (inspection.storeVersion === null) return { ...base, state: 'pass', message: 'version.noStore', params };
  if (inspection.storeVersion > inspection.buildVersion) return { ...base, state: 'fail', message: 'version.storeNewer', fix: 'version.storeNewer.fix', params };
  if (inspection.storeVersion < inspection.buildVersion) return { ...base, state: 'warn', message: 'version.storeOlder', fix: 'version.storeOlder.fix', params };
  return { ...base, state: 'pass', message: 'version.ok', params };
}
