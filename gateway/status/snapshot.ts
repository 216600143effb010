import type { PlatformClockView } from '../delivery/platform-clock.js';
import type { RejectionView } from '../rejections/view.js';
import type { Said } from '../i18n/messages.js';
import type { LastBound } from '../jobs/window.js';
import type { ErrorInfo, FolderCounts, WarningInfo } from '../observability/health.js';
import type { ConfigView } from '../control/config-view.js';
import type { UploadView } from '../files/recent-files.js';

export type { ErrorInfo, FolderCounts, WarningInfo } from '../observability/health.js';
export type { ConfigOutcomeView, ConfigView } from '../control/config-view.js';
export type { UploadView } from '../files/recent-files.js';

/**
 * What the status page and /api/status show: one plain snapshot, assembled
 * by the composition root from the store, scheduler, sources and delivery.
 */

export interface SourceStatus {
  name: string;
  kind: string;
  /**
   * 'attention': a drop folder whose last file was refused as a whole.
   * 'watching': a drop folder watched that has not had a file yet.
   * 'disabled': a database source no enabled job of the configuration in
   * effect reads (drop folders are always watched).
   */
  state: 'ok' | 'error' | 'unknown' | 'attention' | 'disabled' | 'watching';
  lastSuccessAt: string | null;
  lastError: ErrorInfo | null;
  /** From the database's facts when a job last started, e.g. an account that can write. */
  warnings: WarningInfo[];
  /** Drop folders only. */
  files?: FolderCounts;
}

export interface JobStatus {
  name: string;
  source: string;
  category: string;
  categoryName: string;
  mode: 'incremental' | 'snapshot';
  schedule: string;
  /** The complete read an incremental job runs beside its incremental schedule, in words; null without one. */
  snapshotSchedule: string | null;
  /** Both schedules as messages not yet said, for the page's language (the strings above are Chinese). */
  scheduleSaid?: Said;
  snapshotScheduleSaid?: Said;
  snapshotNextRunAt: string | null;
  running: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: ErrorInfo | null;
  rowsRead: number;
  queued: number;
  unchanged: number;
  rejected: number;
  /** The same counts since 00:00 today (the gateway's local day). */
  today?: { rowsRead: number; queued: number; rejected: number };
  /** From the job's probe when it last started: NULL cursor values, whole-second cursor columns … */
  warnings: WarningInfo[];
  /** What the last incremental run's read was bounded by; null for numeric cursors, snapshot jobs and before a run since start. */
  readBound?: JobReadBound | null;
  /** Set while the job starts no page: 'disk' when the store has no room (see StatusSnapshot.disk). */
  pausedFor?: 'disk' | null;
}

/**
 * The upper bound of a timestamp-cursor job's last read: the source's open
 * transactions, or a fixed lag and why. `grant` names what the source's
 * account lacks for the open-transaction bound; `text` says it all in Chinese.
 */
export type JobReadBound = LastBound & {
  grant: string | null;
  text: string;
};

/** The local store's room on disk (store/disk.ts): reading pauses when there is too little, delivery never does. */
export interface DiskView {
  paused: boolean;
  reason: 'disk_full' | 'low_space' | 'size_cap' | null;
  code: string | null;
  freeBytes: number;
  storeBytes: number;
  minFreeBytes: number;
  maxStoreBytes: number | null;
}

export type { RejectionView };

/**
 * One catalog category of this department (or fed by one of its jobs), and
 * whether its data is arriving as often as the catalog asks.
 *  - ok: delivered within the current period (or declared empty for it)
 *  - overdue: nothing delivered for longer than the frequency allows
 *  - declared: the department declared "no data this period" for the current period
 *  - unfed: no job or folder feeds it
 *  - waiting: fed, but not yet due (e.g. first period since the job was added)
 */
export interface CoverageRow {
  code: string;
  name: string;
  frequency: string;
  infoType: string;
  /** Job names, and `folder:<source>` for drop folders that received its files. */
  fedBy: string[];
  lastDeliveredAt: string | null;
  /** The current reporting period of the frequency, e.g. 2026-11 for 每月, 2026-Q4 for 每季度. */
  period: string;
  /** When data (or a declaration) for the current period is due at the latest. */
  dueAt: string | null;
  state: 'ok' | 'overdue' | 'declared' | 'unfed' | 'waiting';
  declaration: { period: string; at: string; by: string | null; note: string | null } | null;
}

export interface ContactView {
  name: string;
  role?: string;
  phone?: string;
  email?: string;
}

export type VerdictLevel = 'ok' | 'attention' | 'fault';

export interface StatusSnapshot {
  generatedAt: string;
  gateway: { id: string; department: string; provider: string | null; softwareVersion: string; startedAt: string; demo: boolean };
  verdict: { level: VerdictLevel; text: string; reasons: string[] };
  platform: {
    url: string;
    delivery: { status: string; lastError: ErrorInfo | null; lastSuccessAt: string | null; nextAttemptAt: string | null };
    /** clockOffsetMs: the platform's clock minus this machine's, learnt from every answer that carries time. */
    heartbeat: { lastSuccessAt: string | null; clockOffsetMs: number | null; lastError: ErrorInfo | null };
    /** How the offset was learnt, the correction signing uses, and the last refusal for the timestamp. */
    clock?: PlatformClockView;
  };
  queue: {
    pending: number;
    oldestPendingAt: string | null;
    openBatches: number;
    /** Records acknowledged by the platform in the last hour, per minute. */
    deliveredPerMinute: number;
    delivered24h: number;
    lastError: ErrorInfo | null;
  };
  totals: { read: number; queued: number; delivered: number; rejectedLocal: number; rejectedPlatform: number };
  sources: SourceStatus[];
  jobs: JobStatus[];
  rejections: { total: number; recent: RejectionView[] };
  coverage: CoverageRow[];
  config: ConfigView;
  contacts: ContactView[];
  uploads: UploadView[];
  /** How this page is served: `plainHttpExposed` when status.allowPlainHttp lets it reach the network without TLS. */
  statusPage?: { https: boolean; plainHttpExposed: boolean };
  /** Absent where the caller measured nothing (tests of other parts). */
  disk?: DiskView;
}

// The verdict is decided in verdict.ts; its functions stay importable from here, where the snapshot is defined.
export { diskReason, verdict } from './verdict.js';
