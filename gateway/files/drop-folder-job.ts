/**
 * One dropped file's turn: from a ready name in `incoming/` to committed
 * pages and the file moved out, with a report of every problem.
 *
 * Where a file ends up
 *   processed/  every row was read: good rows committed (and so sent), bad
 *               rows kept as local rejections for the status page and
 *               listed in `<time>_<name>.errors.csv` beside the file.
 *   rejected/   the file could not be used as a whole, with the reason in
 *               `<time>_<name>.errors.csv` beside it. Problems found before the
 *               first row (name, category, link or device, size, encoding,
 *               zip bomb, header) commit nothing. A file that cannot be read
 *               to its end (a quote never closed on row 5 000) keeps the
 *               pages committed before that row (each row stands on its
 *               own) and the report says from which row reading stopped.
 *   incoming/   left where it is, to be tried again on the watcher's next
 *               rescan, when the fault is not the file's: the store failed,
 *               a move failed, or the file changed while it was read.
 *
 * The order is the one Redpanda Connect's file input keeps: commit first,
 * then write the report, then move the file. A crash anywhere before the
 * move leaves the file in incoming/; it is read again at restart, and every
 * record already committed has the same id and fingerprint (file-category.ts,
 * the key rule), so nothing new is queued. Nothing is moved before its
 * records are durable. (A kill between the report and the move leaves that
 * report in processed/ beside no file; the next turn writes its own.)
 *
 * A failure of any kind ends this file's turn only; the folder goes on.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import type { DropFolders } from '../../connectors/files/folder-watcher.js';
import { FileError } from '../../connectors/files/file-error.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../../connectors/files/limits.js';
import { classifyName, type DropFormat } from '../../connectors/files/naming.js';
import { openInFolder, unchangedSince, type OpenedFile } from '../../connectors/files/safe-open.js';
import { describeError } from '../errors.js';
import type { Page, PageResult } from '../model.js';
import type { RunOutcome } from '../store/types.js';
import type { FileCategory } from './file-category.js';
import { destination, moveFile } from './file-moves.js';
import { reasonText } from './file-reasons.js';
import { FileTurn, type FileCounts } from './file-turn.js';
import { routeFile } from './file-route.js';
import { readWithProfiles, type ReadWith } from './profile-turn.js';
import { changed, refuse, type Decision } from './file-decision.js';
import { readTemplate } from './template-read.js';
export type { ReadWith } from './profile-turn.js';
import type { CompiledProfile } from '../profiles/compile.js';
import { openWorkbook, type Workbook, type WorkbookFormat } from '../../connectors/files/workbook.js';

/** What the job needs of the store. */
export interface FileStore {
  commitPage(page: Page): PageResult;
  recordRun?(job: string, run: RunOutcome): void;
}

export interface DropFolderJobOptions {
  /** Name the store files the records under (job counters, rejections), e.g. 'drop-folder'. */
  job: string;
  gatewayId: string;
  folders: DropFolders;
  /** The category a file name's code stands for, or null when the catalog has none. */
  category: (code: string) => FileCategory | null;
  store: FileStore;
  limits?: FileLimits;
  /** Rows per committed page (default 500). */
  pageSize?: number;
  now?: () => Date;
  logger?: Logger;
  /** After each committed page, e.g. to wake delivery. */
  onPage?: (result: PageResult) => void;
  /** Moves a finished file (a seam for tests that crash between commit and move). */
  move?: (from: string, to: string) => Promise<void>;
  /** The profiles of this folder, asked at each file (a bundle may change them while the folder runs); none by default. */
  profiles?: () => readonly CompiledProfile[];
  /** Opens a file as sheets of cell grids (connectors/files/workbook.ts; a seam for tests). */
  openWorkbook?: OpenWorkbook;
}

type OpenWorkbook = (file: OpenedFile, format: WorkbookFormat, options: { limits: FileLimits; pageSize?: number }) => Promise<Workbook>;


export type FileOutcome =
  | ({ status: 'processed'; file: string; category: string; movedTo: string; report: string | null; readWith?: ReadWith } & FileCounts)
  | ({ status: 'rejected'; file: string; code: string; movedTo: string; report: string; readWith?: ReadWith } & FileCounts)
  | { status: 'left'; file: string; code: string; message: string }
  | { status: 'ignored' | 'gone'; file: string };


export class DropFolderJob {
  readonly #o: Required<Pick<DropFolderJobOptions, 'job' | 'gatewayId' | 'folders' | 'category' | 'store' | 'limits' | 'pageSize' | 'now' | 'move'>>;
  readonly #log: Logger;
  readonly #onPage: (result: PageResult) => void;
  readonly #profiles: () => readonly CompiledProfile[];
  readonly #openWorkbook: OpenWorkbook | undefined;

  constructor(options: DropFolderJobOptions) {
    this.#o = {
      job: options.job,
      gatewayId: options.gatewayId,
      folders: options.folders,
      category: options.category,
      store: options.store,
      limits: options.limits ?? DEFAULT_FILE_LIMITS,
      pageSize: options.pageSize ?? 500,
      now: options.now ?? (() => new Date()),
      move: options.move ?? moveFile,
    };
    this.#log = (options.logger ?? pino({ enabled: false })).child({ component: 'drop-folder' });
    this.#onPage = options.onPage ?? (() => undefined);
    this.#profiles = options.profiles ?? (() => []);
    this.#openWorkbook = options.openWorkbook;
  }

  /** The whole turn of `incoming/<name>`. Never throws: every failure is an outcome. */
  async process(name: string): Promise<FileOutcome> {
    const startedAt = this.#o.now();
    const verdict = classifyName(name);
    if (verdict.kind === 'ignored') return { status: 'ignored', file: name };
    const turn = new FileTurn(this.#o.folders, name, startedAt);
    let decision: Decision;
    let category = verdict.kind === 'data' ? (verdict.category ?? '') : '';
    try {
      const route = verdict.kind === 'data' ? routeFile(name, verdict, this.#profiles(), (code) => this.#o.category(code) !== null) : null;
      if (route === null || route.way === 'unnamed') {
        const code = verdict.kind === 'refused' ? verdict.code : 'FILE_NAME_INVALID';
        await turn.add([{ row: null, field: '', code, message: reasonText(code) }]);
        decision = { to: 'rejected', code };
      } else if (route.way === 'none') {
        await turn.add([{ row: null, field: '', code: 'FILE_PROFILE_NONE', message: reasonText('FILE_PROFILE_NONE') }]);
        decision = { to: 'rejected', code: 'FILE_PROFILE_NONE' };
      } else if (route.way === 'profiles') {
        decision = await this.#readExport(turn, name, route.format, route.candidates, route.byName);
        if (decision.to === 'processed' && decision.category !== undefined) category = decision.category;
      } else {
        const found = this.#o.category(route.category);
        if (!found) {
          await turn.add([{ row: null, field: '', code: 'FILE_CATEGORY_UNKNOWN', message: reasonText('FILE_CATEGORY_UNKNOWN', { category: route.category }) }]);
          decision = { to: 'rejected', code: 'FILE_CATEGORY_UNKNOWN' };
        } else {
          category = found.code;
          decision = await this.#read(turn, name, route.format, found);
        }
      }
      return await this.#carryOut(turn, decision, category, startedAt);
    } catch (err) {
      // Not the file's fault (the store, the disk): leave it for the next rescan.
      await turn.discard().catch(() => undefined);
      const { code, message } = describeError(err);
      this.#log.error({ err, file: name, code }, 'drop-folder file left in incoming, to be tried again');
      this.#recordRun(startedAt, { code, message });
      return { status: 'left', file: name, code, message };
    }
  }

  /** The file in incoming/, opened safely; or what became of it when it cannot be (gone, or refused as a whole). */
  async #open(turn: FileTurn, name: string): Promise<OpenedFile | Decision> {
    try {
      return await openInFolder(this.#o.folders.incoming, name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { to: 'gone' };
      if (err instanceof FileError) return refuse(turn, err, null);
      throw err;
    }
  }

  /** A filled-in template, read the template way (template-read.ts). */
  async #read(turn: FileTurn, name: string, format: DropFormat, category: FileCategory): Promise<Decision> {
    const opened = await this.#open(turn, name);
    if ('to' in opened) return opened;
    try {
      return await readTemplate({
        opened, format, category, turn,
        job: this.#o.job, gatewayId: this.#o.gatewayId, limits: this.#o.limits, pageSize: this.#o.pageSize, now: this.#o.now,
        commit: (page) => this.#o.store.commitPage(page),
        onPage: this.#onPage,
      });
    } finally {
      await opened.handle.close();
    }
  }

  /** An export read sheet by sheet by the profiles that claim it (profile-turn.ts). */
  async #readExport(turn: FileTurn, name: string, format: WorkbookFormat, candidates: readonly CompiledProfile[], byName: boolean): Promise<Decision> {
    const opened = await this.#open(turn, name);
    if ('to' in opened) return opened;
    let workbook: Workbook | null = null;
    try {
      const open = this.#openWorkbook ?? openWorkbook;
      try {
        workbook = await open(opened, format, { limits: this.#o.limits, pageSize: this.#o.pageSize });
      } catch (err) {
        if (err instanceof FileError) return await refuse(turn, err, null);
        throw err;
      }
      const end = await readWithProfiles({
        workbook, candidates, byName, turn,
        job: this.#o.job, gatewayId: this.#o.gatewayId, pageSize: this.#o.pageSize, now: this.#o.now,
        commit: (page) => this.#o.store.commitPage(page),
        onPage: this.#onPage,
      });
      const readWith: ReadWith = { profiles: end.profiles, provenance: end.provenance, sheets: end.sheets };
      if (!(await unchangedSince(opened))) return changed();
      if (end.to === 'broken') return { ...(await refuse(turn, end.error, end.lastRow, end.sheet)), readWith };
      if (end.to === 'rejected') return { to: 'rejected', code: end.code, readWith };
      return { to: 'processed', category: end.categories.join(','), readWith };
    } finally {
      await workbook?.close();
      await opened.handle.close();
    }
  }

  async #carryOut(turn: FileTurn, decision: Decision, category: string, startedAt: Date): Promise<FileOutcome> {
    const file = turn.name;
    if (decision.to === 'gone') {
      await turn.discard();
      return { status: 'gone', file };
    }
    if (decision.to === 'left') {
      await turn.discard();
      this.#log.info({ file, code: decision.code }, 'drop-folder file changed while it was read; it is read again once stable');
      this.#recordRun(startedAt, { code: decision.code, message: decision.message });
      return { status: 'left', file, code: decision.code, message: decision.message };
    }
    const folder = decision.to === 'processed' ? this.#o.folders.processed : this.#o.folders.rejected;
    const to = await destination(folder, file, startedAt);
    const report = await turn.finish(to.report);
    try {
      await this.#o.move(join(this.#o.folders.incoming, file), to.file);
    } catch (err) {
      // The file stays for another turn, which writes its own report: this one would only be an orphan.
      if (report) await rm(report, { force: true }).catch(() => undefined);
      throw err;
    }
    const counts = turn.counts;
    if (decision.to === 'processed') {
      this.#log.info({ file, category, ...counts, report: report !== null }, 'drop-folder file processed');
      this.#recordRun(startedAt, null);
      return { status: 'processed', file, category, movedTo: to.file, report, ...counts, ...(decision.readWith ? { readWith: decision.readWith } : {}) };
    }
    this.#log.warn({ file, category, code: decision.code, ...counts }, 'drop-folder file rejected');
    this.#recordRun(startedAt, { code: decision.code, message: `${file}: ${reasonText(decision.code)}` });
    return { status: 'rejected', file, code: decision.code, movedTo: to.file, report: report!, ...counts, ...(decision.readWith ? { readWith: decision.readWith } : {}) };
  }

  #recordRun(startedAt: Date, error: { code: string; message: string } | null): void {
    try {
      this.#o.store.recordRun?.(this.#o.job, { startedAt: startedAt.toISOString(), finishedAt: this.#o.now().toISOString(), ok: error === null, error });
    } catch (err) {
      this.#log.warn({ err }, 'drop-folder could not record its run');
    }
  }
}
