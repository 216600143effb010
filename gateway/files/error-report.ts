/**
 * `<time>_<name>.errors.csv`: one line per problem of a dropped file, for the clerk
 * who made it. UTF-8 with a byte order mark and CRLF, so Excel on a Chinese
 * Windows opens it without mojibake; columns 工作表, 行号, 字段, 原因代码, 原因:
 * the sheet (empty for CSV and template files read from their data sheet)
 * and row as the clerk finds them in the original file, and the column by
 * its header there.
 *
 * The report repeats text that came from the dropped file (a header, a
 * value quoted in a reason), and whoever opens it in a spreadsheet must not
 * run a formula someone planted there: every cell that starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return (also after leading spaces) is
 * prefixed with `'`, which spreadsheets read as "this is text".
 *
 * The writer streams to a hidden temporary file and renames it into place
 * when done, so a half-written report is never mistaken for a whole one.
 *
 * A report quotes the file's values (ID numbers among them): it is 0600,
 * readable by the service user only, whatever the umask and even when a
 * stale temporary file of that name was looser (chmod after open). The
 * dropped files themselves keep the mode the clerk's share gave them.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

export interface ReportLine {
  /** The sheet of a workbook read by a profile; absent (an empty cell) otherwise. */
  sheet?: string;
  /** The row (line) in the dropped file; null for the file as a whole. */
  row: number | null;
  /** The column as the file names it, or the field. */
  field: string;
  code: string;
  /** Chinese. */
  message: string;
}

export const REPORT_COLUMNS = ['工作表', '行号', '字段', '原因代码', '原因'] as const;

const BOM = '\uFEFF';
const EOL = '\r\n';
const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r]/;

/** The cell's text made inert for spreadsheets. Pure. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV record: each cell neutralised, then quoted where RFC 4180 needs it. Pure. */
export function csvRecord(cells: readonly string[]): string {
  return cells
    .map((cell) => {
      const safe = neutraliseCell(cell);
      return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    })
    .join(',') + EOL;
}

function reportLineRecord(line: ReportLine): string {
  return csvRecord([line.sheet ?? '', line.row === null ? '' : String(line.row), line.field, line.code, line.message]);
}

/** The whole report as text, for tests and small reports. Pure. */
export function reportText(lines: readonly ReportLine[]): string {
  return BOM + csvRecord(REPORT_COLUMNS) + lines.map(reportLineRecord).join('');
}

const FLUSH_CHARS = 64 * 1024;

export class ErrorReportWriter {
  readonly #tempPath: string;
  readonly #handle: FileHandle;
  #buffer = '';
  #lines = 0;
  #done = false;

  private constructor(tempPath: string, handle: FileHandle) {
    this.#tempPath = tempPath;
    this.#handle = handle;
  }

  static async create(tempPath: string): Promise<ErrorReportWriter> {
    const handle = await open(tempPath, 'w', 0o600);
    try {
      await handle.chmod(0o600);
    } catch (err) {
      await handle.close();
      throw err;
    }
    const writer = new ErrorReportWriter(tempPath, handle);
    writer.#buffer = BOM + csvRecord(REPORT_COLUMNS);
    return writer;
  }

  get lines(): number {
    return this.#lines;
  }

  async add(line: ReportLine): Promise<void> {
    this.#buffer += reportLineRecord(line);
    this.#lines += 1;
    if (this.#buffer.length >= FLUSH_CHARS) await this.#flush();
  }

  /** Writes what is left, syncs, and renames the report to its final name. */
  async finish(finalPath: string): Promise<void> {
    await this.#flush();
    await this.#handle.sync();
    await this.#close();
    await rename(this.#tempPath, finalPath);
  }

  async discard(): Promise<void> {
    await this.#close();
    await rm(this.#tempPath, { force: true });
  }

  async #flush(): Promise<void> {
    if (this.#buffer === '') return;
    const text = this.#buffer;
    this.#buffer = '';
    await this.#handle.writeFile(text, 'utf8');
  }

  async #close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#handle.close();
  }
}
