/**
 * A drop folder's error report (`<time>_<name>.errors.csv` in processed/ or
 * rejected/), opened for download from the status page. The name comes from
 * a URL, so it is trusted for nothing: only a plain report name (no path, no
 * hidden or temporary file), only in the two folders reports are written
 * to, opened as the drop folder opens files (regular file, one link, no
 * symbolic link, inside the folder's real path).
 */
import type { Readable } from 'node:stream';
import type { DropFolders } from '../../connectors/files/folder-watcher.js';
import { openInFolder } from '../../connectors/files/safe-open.js';

export type ReportPlace = 'processed' | 'rejected';

/** Where a finished file's report is, as the page links it. */
export interface ReportRef {
  /** The drop folder source's name. */
  source: string;
  where: ReportPlace;
  name: string;
}

const REPORT_NAME = /^[^./\\\u0000-\u001f\u007f][^/\\\u0000-\u001f\u007f]{0,250}\.errors\.csv$/;

/** Whether `name` can only be a report's own name in one folder. Pure. */
export function isReportName(name: string): boolean {
  return REPORT_NAME.test(name) && !name.includes('..');
}

/** The report's reference from the path the drop folder wrote it to; null for no report. Pure. */
export function reportRef(source: string, where: ReportPlace, path: string | null): ReportRef | null {
  if (!path) return null;
  const name = path.split(/[\\/]/).pop() ?? '';
  return isReportName(name) ? { source, where, name } : null;
}

/** The report's bytes as a stream, or null when the request names no report that is there. */
export async function openReport(folders: DropFolders, where: string, name: string): Promise<Readable | null> {
  if ((where !== 'processed' && where !== 'rejected') || !isReportName(name)) return null;
  try {
    const opened = await openInFolder(folders[where], name);
    return opened.handle.createReadStream({ encoding: undefined, autoClose: true });
  } catch {
    return null;
  }
}
