/**
 * What the status page's buttons do in the gateway: resend after a fix,
 * declare "no data this period", upload a filled-in template. Each returns a
 * sentence for the person who clicked (Chinese, from i18n.ts) and a stable
 * code with its values, so the page can say it in English too; none throws
 * for a person's mistake.
 */
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { placeUpload, storeUpload, UploadError, type UploadProfile } from '../files/upload.js';
import type { RecentFiles } from '../files/recent-files.js';
import type { ActionResult, UploadResult } from './deps.js';
import { isMessageKey, text, type Lang, type MessageKey } from '../i18n/messages.js';

/** An outcome with its code and values, its Chinese sentence from the page's tables (`action.<code>`): the page says it in its reader's language. */
function said(ok: boolean, code: string, params: Record<string, string | number> = {}): ActionResult {
  return { ok, code, params, message: text('zh', `action.${code}` as MessageKey, params) };
}

export interface ResendDeps {
  getRejection(id: number): { id: number; job: string; source: 'local' | 'platform'; resolvedAt: string | null; category: string } | null;
  requestResend(id: number, at: string): void;
  /** Whether a database job of that name runs now. */
  hasJob(job: string): boolean;
  /** Starts a complete read of the job (under the scheduler's no-overlap rule); resolves when it is started. */
  reread(job: string): void;
  now(): Date;
  logger: Logger;
}

/**
 * A rejected row cannot be sent again as it was: the platform or our checks
 * would refuse it again ("never resend unchanged"). After the contact fixed
 * it at the source, the row is read again — a complete read of its job,
 * because an incremental cursor may already be past it — and the fixed
 * version travels as a new version of the same record. A row from a file is
 * fixed in the file, which is uploaded again.
 */
export async function resendAfterFix(deps: ResendDeps, id: number, by: string | null): Promise<ActionResult> {
  const rejection = deps.getRejection(id);
  if (!rejection) return said(false, 'REJECTION_UNKNOWN', { id });
  if (rejection.resolvedAt) return said(false, 'REJECTION_RESOLVED');
  if (rejection.job.endsWith(':folder')) {
    return said(false, 'RESEND_NEEDS_FILE');
  }
  if (!deps.hasJob(rejection.job)) {
    return said(false, 'RESEND_JOB_GONE', { job: rejection.job });
  }
  deps.requestResend(id, deps.now().toISOString());
  deps.reread(rejection.job);
  deps.logger.info({ rejection: id, job: rejection.job, by }, 'resend after fix requested: complete read of the job');
  return said(true, 'RESEND_STARTED', { job: rejection.job });
}

export interface DeclareDeps {
  /** Categories this department reports, with their current reporting period. */
  period(category: string): string | null;
  declareNoData(d: { category: string; period: string; at: string; by: string | null; note: string | null }): void;
  now(): Date;
  logger: Logger;
}

export function declareNoData(deps: DeclareDeps, category: string, by: string | null, note: string | null): ActionResult {
  const period = deps.period(category);
  if (period === null) return said(false, 'CATEGORY_NOT_REPORTED', { category });
  const text = note?.trim() ? note.trim().slice(0, 500) : null;
  deps.declareNoData({ category, period, at: deps.now().toISOString(), by, note: text });
  deps.logger.info({ category, period, by }, 'no data declared for the period');
  return said(true, 'DECLARED', { category, period });
}

export interface UploadDeps {
  /** The drop folder uploads go to; null when the gateway has none. */
  folder: { name: string; job: string; root: string; incoming: string } | null;
  recent: RecentFiles;
  /** The export profiles of that folder: a name with no category code is taken when one of them may read it. */
  profiles?: () => readonly UploadProfile[];
  maxBytes: number;
  now(): Date;
  logger: Logger;
}

export async function acceptUpload(deps: UploadDeps, file: { filename: string; stream: Readable; category?: string }, by: string | null): Promise<UploadResult> {
  if (!deps.folder) {
    file.stream.resume();
    return { ok: false, code: 'UPLOAD_NO_FOLDER', message: text('zh', 'upload.error.UPLOAD_NO_FOLDER') };
  }
  try {
    const { name, ...way } = placeUpload(file.filename, file.category || undefined, deps.profiles?.() ?? []);
    const stored = await storeUpload({ root: deps.folder.root, incoming: deps.folder.incoming, name, stream: file.stream, maxBytes: deps.maxBytes, now: deps.now });
    deps.recent.received(deps.folder.name, deps.folder.job, stored, deps.now().toISOString());
    deps.logger.info({ folder: deps.folder.name, file: stored, by, way: way.way }, 'file uploaded on the status page');
    return { ok: true, file: stored, ...way, message: uploadAccepted('zh', stored, way) };
  } catch (err) {
    if (err instanceof UploadError) {
      const key = `upload.error.${err.code}`;
      return { ok: false, code: err.code, params: err.params, message: isMessageKey(key) ? text('zh', key, err.params) : err.message };
    }
    throw err;
  }
}

/** What the page says of an accepted upload: how the folder will read it, so a clerk whose export has no code in its name knows what comes next. */
export function uploadAccepted(lang: Lang, file: string, way: Pick<UploadResult, 'way' | 'profile'>): string {
  if (way.way === 'profile') return text(lang, 'upload.acceptedProfile', { file, profile: { data: way.profile ?? '' } });
  if (way.way === 'signature') return text(lang, 'upload.acceptedSignature', { file });
  return text(lang, 'upload.accepted', { file });
}
