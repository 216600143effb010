/**
 * The files a drop folder took recently (uploaded on the page or dropped on
 * the share), newest first, for the status page: a clerk who just uploaded
 * wants to see it read, and then delivered. Kept in memory: processed/ and
 * rejected/ are the lasting record.
 */
import type { FileOutcome, ReadWith } from './drop-folder-job.js';
import { reportRef, type ReportRef } from './report-file.js';

/** A file uploaded on the page (or dropped in the folder), and how far it got: as the status page lists it. */
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
  /** An export read by profiles: which (title or name, and where its data comes from) and the sheets read; absent for a template file. */
  readWith?: ReadWith;
}

interface Entry {
  folder: string;
  job: string;
  file: string;
  at: string;
  status: UploadView['status'];
  rows: number;
  queued: number;
  rejected: number;
  message: string | null;
  report: ReportRef | null;
  readWith?: ReadWith;
}

export class RecentFiles {
  readonly #entries: Entry[] = [];
  readonly #limit: number;

  constructor(limit = 20) {
    this.#limit = limit;
  }

  /** A file put into incoming/ by an upload: shown as waiting until its outcome arrives. */
  received(folder: string, job: string, file: string, at: string): void {
    this.#push({ folder, job, file, at, status: 'waiting', rows: 0, queued: 0, rejected: 0, message: null, report: null });
  }

  outcome(folder: string, job: string, outcome: FileOutcome, at: string): void {
    if (outcome.status !== 'processed' && outcome.status !== 'rejected') return;
    const i = this.#entries.findIndex((e) => e.folder === folder && e.file === outcome.file && e.status === 'waiting');
    if (i >= 0) this.#entries.splice(i, 1);
    this.#push({
      folder, job, file: outcome.file, at,
      status: outcome.status,
      rows: outcome.rows,
      queued: outcome.queued,
      rejected: outcome.refused,
      message: outcome.status === 'rejected' ? outcome.code : outcome.refused > 0 ? `${outcome.refused} 行未通过校验，见错误报告` : null,
      report: reportRef(folder, outcome.status, outcome.report),
      ...(outcome.readWith ? { readWith: outcome.readWith } : {}),
    });
  }

  /** `pending`: records of each job not yet acknowledged by the platform. */
  views(pending: ReadonlyMap<string, number>): UploadView[] {
    return this.#entries.map((e) => ({
      file: e.file,
      at: e.at,
      status: e.status,
      rows: e.rows,
      queued: e.queued,
      rejected: e.rejected,
      // A processed file's records are delivered once its folder has nothing left waiting for the platform.
      delivered: e.status === 'processed' && (e.queued === 0 || (pending.get(e.job) ?? 0) === 0),
      message: e.message,
      report: e.report,
      ...(e.readWith ? { readWith: e.readWith } : {}),
    }));
  }

  #push(entry: Entry): void {
    this.#entries.unshift(entry);
    this.#entries.length = Math.min(this.#entries.length, this.#limit);
  }
}
