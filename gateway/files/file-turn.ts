/**
 * The bookkeeping of one file's turn: how many rows it had and what became
 * of them, and its error report, written as problems are found (a file with
 * a hundred thousand bad rows must not hold them all in memory) to a hidden
 * temporary file in processed/ that becomes `<time>_<name>.errors.csv` beside the
 * moved file, or disappears if the turn is abandoned.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DropFolders } from '../../connectors/files/folder-watcher.js';
import { safeName } from '../../connectors/files/naming.js';
import type { PageResult } from '../model.js';
import { ErrorReportWriter, type ReportLine } from './error-report.js';
import { dropStamp } from './file-moves.js';

export interface FileCounts {
  /** Data rows read (blank rows not counted). */
  rows: number;
  /** Records queued for the platform: new or changed. */
  queued: number;
  /** Records the store already had exactly so. */
  unchanged: number;
  /** Rows refused (kept as local rejections and listed in the report). */
  refused: number;
  /** Lines of the error report. */
  problems: number;
}

const TEMP_REPORT = /^\..*\.errors\.csv\.part$/;

/** Removes temporary reports a killed turn left behind; the file they belonged to is read again anyway. */
export async function sweepTempReports(folders: DropFolders): Promise<number> {
  const stale = (await readdir(folders.processed)).filter((name) => TEMP_REPORT.test(name));
  for (const name of stale) await rm(join(folders.processed, name), { force: true });
  return stale.length;
}

export class FileTurn {
  readonly name: string;
  readonly #tempPath: string;
  #writer: ErrorReportWriter | null = null;
  readonly #counts: FileCounts = { rows: 0, queued: 0, unchanged: 0, refused: 0, problems: 0 };

  constructor(folders: DropFolders, name: string, startedAt: Date) {
    this.name = name;
    // Must match TEMP_REPORT.
    this.#tempPath = join(folders.processed, `.${dropStamp(startedAt)}_${safeName(name)}.errors.csv.part`);
  }

  get counts(): FileCounts {
    return { ...this.#counts };
  }

  counted(rows: number, refused: number, result: PageResult): void {
    this.#counts.rows += rows;
    this.#counts.refused += refused;
    this.#counts.queued += result.queued;
    this.#counts.unchanged += result.unchanged;
  }

  async add(lines: readonly ReportLine[]): Promise<void> {
    if (lines.length === 0) return;
    this.#writer ??= await ErrorReportWriter.create(this.#tempPath);
    for (const line of lines) await this.#writer.add(line);
    this.#counts.problems += lines.length;
  }

  /** Puts the report at `path`; null when there was nothing to report. */
  async finish(path: string): Promise<string | null> {
    if (!this.#writer) return null;
    await this.#writer.finish(path);
    this.#writer = null;
    return path;
  }

  async discard(): Promise<void> {
    await this.#writer?.discard();
    this.#writer = null;
  }
}
