/**
 * `credit-gateway doctor`: every check of doctor/, run in the order a
 * technical contact fixes things (configuration, secrets, sources,
 * platform, disk, store, service, version), as findings. Reads only: no
 * file is created or changed, the store is opened read-only and the data
 * folder's lock is not taken, so it runs beside a running gateway. The one
 * thing it sends is one heartbeat to the platform, as the gateway does every
 * minute.
 */
import { resolvePath } from '../../config/load.js';
import { inspectDataFolder, type StoreInspection } from '../store/inspect.js';
import { checkConfig } from './config-check.js';
import type { CheckState, Finding } from './contract.js';
import { checkDisk } from './disk-check.js';
import { checkPlatform } from './platform-check.js';
import { checkSecrets } from './secrets-check.js';
import { checkService, systemdRuns } from './service-check.js';
import { checkSources } from './sources-check.js';
import { sourcesInEffect } from './sources-in-effect.js';
import { checkStore } from './store-check.js';
import { checkVersion } from './version-check.js';

export interface DoctorOptions {
  configFile: string;
  softwareVersion: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Whether to ask systemd about the unit; default: where systemd runs this machine. */
  systemd?: boolean;
  /** Longest wait for one source. */
  sourceTimeoutMs?: number;
}

export interface DoctorReport {
  /** False when any check failed; warnings leave it true. */
  ok: boolean;
  checks: Finding[];
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const checks: Finding[] = [];
  const { finding: configFinding, loaded } = await checkConfig(o.configFile, env);
  checks.push(configFinding);
  if (!loaded) return report([...checks, ...skipped(['secrets', 'sources', 'platform', 'auth', 'platform-clock', 'disk', 'store', 'service', 'version'], 'skip.config')]);
  const { config, baseDir } = loaded;

  const { finding: secretsFinding, secrets } = checkSecrets(config, baseDir, env);
  checks.push(secretsFinding);

  const dataDir = resolvePath(baseDir, config.gateway.dataDir);
  let inspection: StoreInspection | null = null;
  let inspectionError: string | null = null;
  try {
    inspection = inspectDataFolder(dataDir);
  } catch (err) {
    inspectionError = (err as Error).message;
  }

  if (secrets) {
    const { sources, bundleVersion } = sourcesInEffect(config, { version: inspection?.configVersion ?? 0, bytes: inspection?.bundleBytes ?? null });
    if (bundleVersion > 0) checks.push({ id: 'sources', title: 'title.sources', state: 'pass', message: 'sources.fromBundle', params: { version: bundleVersion, count: sources.length } });
    checks.push(...(await checkSources({ config, sources, baseDir, secrets, now, timeoutMs: o.sourceTimeoutMs })));
    checks.push(...(await checkPlatform({
      config, baseDir, secrets, now,
      heartbeat: {
        softwareVersion: o.softwareVersion,
        configVersion: inspection?.configVersion ?? 0,
        startedAt: inspection?.holder?.since ?? new Date(now()).toISOString(),
        queue: { pending: inspection?.pending ?? 0, oldestPendingAt: null, rejected: 0 },
        sources: [],
        categories: [],
        configApply: null,
      },
    })));
  } else {
    checks.push(...skipped(['sources', 'platform', 'auth', 'platform-clock'], 'skip.secrets'));
  }

  checks.push(checkDisk(config, dataDir, inspection?.storeBytes ?? 0));
  if (inspection) {
    checks.push(...checkStore(inspection, dataDir));
  } else {
    checks.push({ id: 'store', title: 'title.store', state: 'fail', message: 'store.unreadable', fix: 'store.unreadable.fix', params: { dataDir, detail: inspectionError ?? '' } });
  }
  checks.push(await checkService({ config, holder: inspection?.holder ?? null, systemd: o.systemd ?? systemdRuns() }));
  if (inspection) checks.push(checkVersion(o.softwareVersion, inspection, env));
  return report(checks);
}

function skipped(ids: string[], message: 'skip.config' | 'skip.secrets'): Finding[] {
  const titles: Record<string, Finding['title']> = {
    secrets: 'title.secrets', sources: 'title.sources', platform: 'title.platform', auth: 'title.auth', 'platform-clock': 'title.platformClock',
    disk: 'title.disk', store: 'title.store', service: 'title.service', version: 'title.version',
  };
  return ids.map((id) => ({ id, title: titles[id]!, state: 'skip' as CheckState, message }));
}

function report(checks: Finding[]): DoctorReport {
  return { ok: !checks.some((c) => c.state === 'fail'), checks };
}
