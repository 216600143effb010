/**
 * What the status page's buttons do in the gateway: resend after a fix,
 * declare "no data this period", upload a filled-in template. Each returns a
 * sentence for the person who clicked (Chinese) and a stable code when it
 * could not be done; none throws for a person's mistake.
 */
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { storeUpload, uploadName, UploadError } from '../files/upload.js';
import type { RecentFiles } from '../files/recent-files.js';
import type { ActionResult, UploadResult } from './deps.js';

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
  if (!rejection) return { ok: false, code: 'REJECTION_UNKNOWN', params: { id }, message: `没有编号为 ${id} 的拒收记录` };
  if (rejection.resolvedAt) return { ok: false, code: 'REJECTION_RESOLVED', message: '该记录的新版本已被接收，无需重发' };
  if (rejection.job.endsWith(':folder')) {
    return { ok: false, code: 'RESEND_NEEDS_FILE', message: '该行来自上传的文件：请在文件中修正后重新上传（或放入 incoming/ 目录）' };
  }
  if (!deps.hasJob(rejection.job)) {
    return { ok: false, code: 'RESEND_JOB_GONE', params: { job: rejection.job }, message: `任务 ${rejection.job} 已不在当前配置中，无法重新读取` };
  }
  deps.requestResend(id, deps.now().toISOString());
  deps.reread(rejection.job);
  deps.logger.info({ rejection: id, job: rejection.job, by }, 'resend after fix requested: complete read of the job');
  return { ok: true, code: 'RESEND_STARTED', params: { job: rejection.job }, message: `已安排重新读取任务 ${rejection.job} 的全部数据：修正后的记录将作为新版本发送；未修正的仍会被拒收` };
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
  if (period === null) return { ok: false, code: 'CATEGORY_NOT_REPORTED', params: { category }, message: `目录 ${category} 不属于本部门报送范围` };
  const text = note?.trim() ? note.trim().slice(0, 500) : null;
  deps.declareNoData({ category, period, at: deps.now().toISOString(), by, note: text });
  deps.logger.info({ category, period, by }, 'no data declared for the period');
  return { ok: true, code: 'DECLARED', params: { category, period }, message: `已声明 ${category} 在 ${period} 期间无数据` };
}

export interface UploadDeps {
  /** The drop folder uploads go to; null when the gateway has none. */
  folder: { name: string; job: string; root: string; incoming: string } | null;
  recent: RecentFiles;
  maxBytes: number;
  now(): Date;
  logger: Logger;
}

export async function acceptUpload(deps: UploadDeps, file: { filename: string; stream: Readable; category?: string }, by: string | null): Promise<UploadResult> {
  if (!deps.folder) {
    file.stream.resume();
    return { ok: false, code: 'UPLOAD_NO_FOLDER', message: '本网关没有配置文件目录数据源，无法上传' };
  }
  try {
    const name = uploadName(file.filename, file.category || undefined);
    const stored = await storeUpload({ root: deps.folder.root, incoming: deps.folder.incoming, name, stream: file.stream, maxBytes: deps.maxBytes, now: deps.now });
    deps.recent.received(deps.folder.name, deps.folder.job, stored, deps.now().toISOString());
    deps.logger.info({ folder: deps.folder.name, file: stored, by }, 'file uploaded on the status page');
    return { ok: true, file: stored, message: `文件 ${stored} 已接收，正在校验；结果见“最近文件”` };
  } catch (err) {
    if (err instanceof UploadError) return { ok: false, code: err.code, message: UPLOAD_MESSAGES[err.code] ?? err.message };
    throw err;
  }
}

const UPLOAD_MESSAGES: Record<string, string> = {
  FILE_NAME_INVALID: '文件名不符合规则：请以目录编码开头（如 P07-002_2026-11.xlsx），或在表单中选择目录',
  FILE_FORMAT_UNSUPPORTED: '只接受 .xlsx、.csv 文件（请用模板填写后另存为 .xlsx）',
  FILE_TOO_LARGE: '文件过大，请拆分后分批上传',
  FILE_UPLOAD_EMPTY: '文件是空的',
};
