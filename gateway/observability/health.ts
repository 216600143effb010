/**
 * What a source or job is like right now, as the runtime records it and the
 * status page, the heartbeat and the logs report it: plain facts, below
 * both the control plane and the page, so neither imports the other's types.
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
  /** The values in the message, so the page can say it in English too (i18n `warning.<key ?? code>`). */
  params?: Record<string, string | number | string[]>;
  /** The message key when it is not the code (a code that varies, e.g. the refusal code of a dropped file). */
  key?: string;
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

export interface SourceHealth {
  state: 'ok' | 'error' | 'unknown' | 'attention' | 'watching';
  lastSuccessAt: string | null;
  lastError: ErrorInfo | null;
  warnings: WarningInfo[];
  files?: FolderCounts;
}

