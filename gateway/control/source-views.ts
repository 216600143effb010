/**
 * Every source of a runtime as the status page and the heartbeat show it:
 * a database source's health as its runs left it, a drop folder's from its
 * watcher and the rows its files gave.
 */
import type { Store } from '../store/store.js';
import { folderJobName } from '../files/folder-job-name.js';
import type { SourceHealth, WarningInfo } from '../observability/health.js';
import type { FolderEntry, SourceEntry } from './runtime-entries.js';

export type SourceView = { name: string; kind: string } & SourceHealth;

export function databaseSourceView(entry: SourceEntry): SourceView {
  return { name: entry.config.name, kind: entry.config.kind, ...entry.health };
}

export function folderSourceView({ config, folder }: FolderEntry, store: Pick<Store, 'jobStats'>): SourceView {
  const h = folder.health;
  const rows = store.jobStats().find((s) => s.job === folderJobName(config.name))?.total;
  const last = h.lastOutcome;
  const refused = h.state === 'attention' && last?.status === 'rejected'
    ? [refusedWarning(last.file, last.code, last.report.split(/[\\/]/).pop() ?? '')]
    : [];
  return {
    name: config.name,
    kind: config.kind,
    state: h.state === 'failing' ? ('error' as const) : h.state,
    lastSuccessAt: h.lastFileAt,
    lastError: h.lastError,
    warnings: refused,
    files: {
      path: folder.folders.root, watchingSince: h.watchingSince, waiting: h.waiting,
      processed: h.counts.processed, rejected: h.counts.rejected, left: h.counts.left, lastFileAt: h.lastFileAt,
      rowsRead: rows?.rowsRead ?? 0, queued: rows?.queued ?? 0, rejectedRows: rows?.rejectedLocal ?? 0,
    },
  };
}

/** A drop folder's last file refused whole, in Chinese for the heartbeat and the API, with its values for the page. */
function refusedWarning(file: string, code: string, report: string): WarningInfo {
  return {
    code, key: 'FOLDER_FILE_REFUSED', params: { file, code, report },
    message: `文件 ${file} 被整体拒收（${code}）`, action: `查看 rejected/ 中的错误报告 ${report}，修正后重新放入 incoming/`,
  };
}
