/**
 * The overview's verdict: is the data arriving, and if not, why, in
 * sentences. Reasons are kept as messages not yet said (i18n `Said`), so
 * the page says them in its reader's language and the API in Chinese.
 * Names and messages quoted from elsewhere travel as data. Pure.
 */
import { text, type Param, type Said } from '../i18n/messages.js';
import { warningSaid } from '../i18n/warnings.js';
import type { DiskView, StatusSnapshot, VerdictLevel } from './snapshot.js';

/** The platform refuses requests whose timestamp is further than this from its clock (platform-api.md section 1). */
const SIGNING_WINDOW_MS = 300_000;
/** A clock this far off is worth fixing before it reaches the signing window. */
const CLOCK_WARN_MS = 60_000;
const QUEUE_STALE_MS = 15 * 60_000;
const OVERDUE_NAMED = 3;

type Facts = Omit<StatusSnapshot, 'verdict'>;

const data = (value: string | null | undefined): Param => ({ data: value ?? '' });
const said = (key: Said['key'], params: Said['params'] = {}): Said => ({ key, params });
const mib = (bytes: number) => Math.floor(bytes / 1048576);

/** Why reading is paused for lack of room, with what to do; null while it runs. */
export function diskSaid(d: DiskView): Said | null {
  switch (d.reason) {
    case null:
      return null;
    case 'disk_full':
      return said('verdict.diskFull');
    case 'low_space':
      return said('verdict.lowSpace', { free: mib(d.freeBytes), min: mib(d.minFreeBytes) });
    case 'size_cap':
      return said('verdict.sizeCap', { cap: mib(d.maxStoreBytes ?? 0) });
  }
}

/**
 * A clock beyond the platform's window, or a refusal for the timestamp, is a
 * fault even while signing on the platform's time keeps delivery going: the
 * machine's clock also stamps observedAt and the logs, and the correction
 * lasts only as long as the platform keeps answering.
 */
function clockReasons(p: Facts['platform']): { faults: Said[]; attention: Said[] } {
  const faults: Said[] = [];
  const attention: Said[] = [];
  const offset = p.clock ? p.clock.offsetMs : p.heartbeat.clockOffsetMs;
  const refusal = p.clock?.refusal ?? null;
  const action = said('verdict.clockAction');
  const apart = (ms: number) => said(ms > 0 ? 'verdict.clockSlow' : 'verdict.clockFast', { secs: Math.abs(Math.round(ms / 1000)) });
  if (refusal) {
    faults.push(offset !== null ? said('verdict.clockRefusedApart', { code: refusal.code, apart: apart(offset), action }) : said('verdict.clockRefused', { code: refusal.code, action }));
  } else if (offset !== null && Math.abs(offset) > SIGNING_WINDOW_MS) {
    const corrected = p.clock && p.clock.correctionMs !== 0 ? said('verdict.clockCorrectedTail') : '';
    faults.push(said('verdict.clockBeyond', { apart: apart(offset), action, corrected }));
  } else if (offset !== null && Math.abs(offset) > CLOCK_WARN_MS) {
    attention.push(said('verdict.clockNear', { apart: apart(offset), action }));
  }
  if (p.delivery.status === 'paused_auth' && !refusal) faults.push(said('verdict.authRefused'));
  return { faults, attention };
}

/**
 * "Healthy" means the data is arriving, not that the process runs: a paused
 * or failing delivery, or a failing source, is a fault; rejected rows, a
 * queue that is not draining, or a warning about a source or a job need
 * attention.
 */
export function verdictSaid(s: Facts, now: Date): { level: VerdictLevel; reasons: Said[] } {
  const faults: Said[] = [];
  const attention: Said[] = [];
  const clock = clockReasons(s.platform);
  faults.push(...clock.faults);
  attention.push(...clock.attention);
  const disk = s.disk && diskSaid(s.disk);
  if (disk) faults.push(disk);
  for (const source of s.sources) {
    if (source.state === 'error') faults.push(said('verdict.sourceFailed', { name: data(source.name), message: data(source.lastError?.message) }));
  }
  for (const job of s.jobs) {
    if (job.lastError && (!job.lastSuccessAt || (job.lastError.at ?? '') > job.lastSuccessAt)) {
      faults.push(said('verdict.jobFailed', { name: data(job.name), message: data(job.lastError.message) }));
    }
  }
  if (s.platform.delivery.status === 'backing_off' && s.platform.delivery.lastError) {
    attention.push(said('verdict.backingOff', { message: data(s.platform.delivery.lastError.message) }));
  }
  if (s.queue.oldestPendingAt && now.getTime() - Date.parse(s.queue.oldestPendingAt) > QUEUE_STALE_MS) {
    attention.push(said('verdict.queueStale', { n: s.queue.pending }));
  }
  for (const source of s.sources) for (const w of source.warnings) attention.push(said('verdict.sourceWarning', { name: data(source.name), warning: warningSaid(w).message }));
  for (const source of s.sources) {
    if (source.state === 'attention' && source.warnings.length === 0) attention.push(said('verdict.folderRefused', { name: data(source.name) }));
  }
  for (const job of s.jobs) for (const w of job.warnings) attention.push(said('verdict.jobWarning', { name: data(job.name), warning: warningSaid(w).message }));
  const overdue = s.coverage.filter((c) => c.state === 'overdue');
  if (overdue.length > 0) {
    const names = overdue.slice(0, OVERDUE_NAMED).map((c) => c.name).join('、');
    attention.push(said('verdict.overdue', { n: overdue.length, names: data(names), more: overdue.length > OVERDUE_NAMED ? said('verdict.overdueMore') : '' }));
  }
  if (s.statusPage?.plainHttpExposed) attention.push(said('verdict.plainHttp'));
  const rejected = s.totals.rejectedLocal + s.totals.rejectedPlatform;
  if (rejected > 0) attention.push(said('verdict.rejected', { n: rejected }));
  const level: VerdictLevel = faults.length > 0 ? 'fault' : attention.length > 0 ? 'attention' : 'ok';
  const reasons = level === 'fault' ? faults : attention;
  return { level, reasons: reasons.length > 0 ? reasons : [said('verdict.allGood')] };
}

/** The verdict as /api/status gives it: level, word and reasons in Chinese. */
export function verdict(s: Facts, now: Date): StatusSnapshot['verdict'] {
  const { level, reasons } = verdictSaid(s, now);
  return { level, text: text('zh', `verdict.${level}`), reasons: reasons.map((r) => text('zh', r.key, r.params)) };
}

/** Why reading is paused, in Chinese (the heartbeat and the API); null while it runs. */
export function diskReason(d: DiskView): string | null {
  const reason = diskSaid(d);
  return reason && text('zh', reason.key, reason.params);
}
