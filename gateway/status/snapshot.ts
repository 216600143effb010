import type { PlatformClockView } from '../delivery/platform-clock.js';
import type { RejectionView } from '../rejections/view.js';

/**
 * What the status page and /api/status show: one plain snapshot, assembled
 * by the composition root from the store, scheduler, sources and delivery.
 */
export interface ErrorInfo {
  code: string;
  message: string;
  action?: string;
  at?: string | null;
}

/** Something that does not stop a job but can cost rows or correctness, with what to do (Chinese). */
export interface WarningInfo {
  code: string;
  message: string;
  action: string;
}

/** What a drop folder has done since the gateway started (files) and in all (rows, from the store). */
export interface FolderCounts {
  /** The folder watched (its root, holding incoming/, processed/, rejected/). */
  path?: string;
  /** Since when it is watched; null before the watch started. */
  watchingSince?: string | null;
  /** Files in incoming/ not finished yet. */
  waiting?: number;
  processed: number;
  rejected: number;
  /** Turns that left a file in incoming/ for a fault of the gateway's, to be tried again. */
  left: number;
  lastFileAt: string | null;
  rowsRead: number;
  queued: number;
  rejectedRows: number;
}

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
  /** Set while the job starts no page: 'disk' when the store has no room (see StatusSnapshot.disk). */
  pausedFor?: 'disk' | null;
}

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

export interface ConfigOutcomeView {
  version: number;
  status: 'applied' | 'rejected' | 'rolled_back';
  message: string;
  at: string;
  /** heartbeat, admin, folder. */
  via: string;
}

export interface ConfigView {
  /** 0 while the local configuration file is in effect. */
  version: number;
  source: 'file' | 'bundle';
  appliedAt: string | null;
  issuedAt: string | null;
  /** Whether a credit center public key is configured: without it every bundle is refused. */
  publicKey: boolean;
  lastOutcome: ConfigOutcomeView | null;
  history: ConfigOutcomeView[];
}

export interface ContactView {
  name: string;
  role?: string;
  phone?: string;
  email?: string;
}

/** A file uploaded on the page (or dropped in the folder), and how far it got. */
export interface UploadView {
  file: string;
  at: string;
  status: 'waiting' | 'processed' | 'rejected';
  rows: number;
  queued: number;
  rejected: number;
  /** True once none of its queued records is still waiting for the platform. */
  delivered: boolean;
  message: string | null;
  /** Its error report in the drop folder, for the page's download link; absent or null without one. */
  report?: { source: string; where: 'processed' | 'rejected'; name: string } | null;
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

const mib = (bytes: number) => Math.floor(bytes / 1048576);

/** Why reading is paused, with what to do; null while it runs. */
export function diskReason(d: DiskView): string | null {
  switch (d.reason) {
    case null:
      return null;
    case 'disk_full':
      return '数据目录所在磁盘已满：已暂停读取数据源，发送和平台确认照常进行。请清理该磁盘空间，空间恢复后自动继续读取';
    case 'low_space':
      return `数据目录所在磁盘仅剩 ${mib(d.freeBytes)} MiB，低于下限 store.minFreeMiB（${mib(d.minFreeBytes)} MiB）：已暂停读取数据源，发送照常进行。请清理该磁盘空间，空间恢复后自动继续读取`;
    case 'size_cap':
      return `本地存储已达上限 store.maxSizeMiB（${mib(d.maxStoreBytes ?? 0)} MiB）：已暂停读取数据源，平台收下排队的记录后自动继续。请检查向平台的发送；磁盘有余量时可提高 store.maxSizeMiB`;
  }
}

const VERDICT_TEXT: Record<VerdictLevel, string> = { ok: '正常', attention: '需关注', fault: '故障' };

/** The platform refuses requests whose timestamp is further than this from its clock (platform-api.md section 1). */
const SIGNING_WINDOW_MS = 300_000;
/** A clock this far off is worth fixing before it reaches the signing window. */
const CLOCK_WARN_MS = 60_000;
/** What to do about a wrong clock, on Linux and on Windows. */
const CLOCK_ACTION = '请校正本机时间并启用 NTP 自动对时（Linux：timedatectl set-ntp true；Windows：w32tm /resync），校正后无需重启网关';

/**
 * A clock beyond the platform's window, or a refusal for the timestamp, is a
 * fault even while signing on the platform's time keeps delivery going: the
 * machine's clock also stamps observedAt and the logs, and the correction
 * lasts only as long as the platform keeps answering.
 */
function clockReasons(p: Omit<StatusSnapshot, 'verdict'>['platform']): { faults: string[]; attention: string[] } {
  const faults: string[] = [];
  const attention: string[] = [];
  const offset = p.clock ? p.clock.offsetMs : p.heartbeat.clockOffsetMs;
  const refusal = p.clock?.refusal ?? null;
  const corrected = p.clock && p.clock.correctionMs !== 0 && !refusal ? '；在此之前网关按平台时间签名，发送未中断' : '';
  const apart = (ms: number) => `本机时钟比平台${ms > 0 ? '慢' : '快'} ${Math.abs(Math.round(ms / 1000))} 秒`;
  if (refusal) {
    faults.push(`平台以时间戳超出时限为由拒收本网关的请求（${refusal.code}）${offset !== null ? `，${apart(offset)}` : ''}：${CLOCK_ACTION}`);
  } else if (offset !== null && Math.abs(offset) > SIGNING_WINDOW_MS) {
    faults.push(`${apart(offset)}，超过平台 300 秒的签名时限：${CLOCK_ACTION}${corrected}`);
  } else if (offset !== null && Math.abs(offset) > CLOCK_WARN_MS) {
    attention.push(`${apart(offset)}，接近平台 300 秒的签名时限：${CLOCK_ACTION}`);
  }
  if (p.delivery.status === 'paused_auth' && !refusal) faults.push('平台拒绝了本网关的签名：请核对平台密钥（platform.secretRef）和本机时钟');
  return { faults, attention };
}

/**
 * "Healthy" means the data is arriving, not that the process runs: a paused
 * or failing delivery, or a failing source, is a fault; rejected rows, a
 * queue that is not draining, or a warning about a source or a job need
 * attention.
 */
export function verdict(s: Omit<StatusSnapshot, 'verdict'>, now: Date): StatusSnapshot['verdict'] {
  const faults: string[] = [];
  const attention: string[] = [];
  const clock = clockReasons(s.platform);
  faults.push(...clock.faults);
  attention.push(...clock.attention);
  const disk = s.disk && diskReason(s.disk);
  if (disk) faults.push(disk);
  for (const source of s.sources) {
    if (source.state === 'error') faults.push(`数据源 ${source.name} 读取失败：${source.lastError?.message ?? ''}`);
  }
  for (const job of s.jobs) {
    if (job.lastError && (!job.lastSuccessAt || (job.lastError.at ?? '') > job.lastSuccessAt)) {
      faults.push(`任务 ${job.name} 最近一次运行失败：${job.lastError.message}`);
    }
  }
  if (s.platform.delivery.status === 'backing_off' && s.platform.delivery.lastError) {
    attention.push(`暂时无法送达平台，正在重试：${s.platform.delivery.lastError.message}`);
  }
  if (s.queue.oldestPendingAt && now.getTime() - Date.parse(s.queue.oldestPendingAt) > 15 * 60_000) {
    attention.push(`有 ${s.queue.pending} 条记录等待发送超过 15 分钟`);
  }
  for (const source of s.sources) for (const w of source.warnings) attention.push(`数据源 ${source.name}：${w.message}`);
  for (const source of s.sources) {
    if (source.state === 'attention' && source.warnings.length === 0) attention.push(`数据源 ${source.name} 有文件被整体拒收，请查看 rejected/ 中的错误报告`);
  }
  for (const job of s.jobs) for (const w of job.warnings) attention.push(`任务 ${job.name}：${w.message}`);
  const overdue = s.coverage.filter((c) => c.state === 'overdue');
  if (overdue.length > 0) {
    const names = overdue.slice(0, 3).map((c) => c.name).join('、');
    attention.push(`${overdue.length} 个目录上一报送期没有数据到达平台（${names}${overdue.length > 3 ? ' 等' : ''}）：请补报，或确无数据时声明本期无数据`);
  }
  if (s.statusPage?.plainHttpExposed) attention.push('状态页以明文 HTTP 对网络开放（status.allowPlainHttp）：密码、令牌和会话在网络上明文传输，请配置 status.tls 启用 HTTPS');
  const rejected = s.totals.rejectedLocal + s.totals.rejectedPlatform;
  if (rejected > 0) attention.push(`有 ${rejected} 条记录被拒收，请按原因修正源数据`);
  const level: VerdictLevel = faults.length > 0 ? 'fault' : attention.length > 0 ? 'attention' : 'ok';
  const reasons = level === 'fault' ? faults : attention;
  return { level, text: VERDICT_TEXT[level], reasons: reasons.length > 0 ? reasons : ['数据正常到达平台'] };
}
