/**
 * What reading a dropped file decided, carried out by the drop-folder job
 * once the file is closed (Windows cannot move an open file), and the
 * refusals both ways of reading share.
 */
import type { FileError } from '../../connectors/files/file-error.js';
import type { ReportLine } from './error-report.js';
import { reasonText } from './file-reasons.js';
import type { FileTurn } from './file-turn.js';
import type { ReadWith } from './profile-turn.js';

export type Decision = ({ to: 'processed'; category?: string } | { to: 'rejected'; code: string } | { to: 'left'; code: string; message: string } | { to: 'gone' }) & { readWith?: ReadWith };

/** A file-level refusal as the report's line; `lastRow` is set when rows before it were read. */
export async function refuse(turn: FileTurn, err: FileError, lastRow: number | null, sheet?: string): Promise<Decision> {
  const row = typeof err.params.row === 'number' ? err.params.row : lastRow === null ? null : lastRow + 1;
  let message = reasonText(err.code, err.params);
  if (lastRow !== null) {
    message += turn.counts.rows > 0 ? `；此前的 ${turn.counts.rows} 行已处理` : '';
  }
  const line: ReportLine = { ...(sheet !== undefined ? { sheet } : {}), row, field: '', code: err.code, message };
  await turn.add([line]);
  return { to: 'rejected', code: err.code };
}

/** The file changed while it was read: left in incoming/, read again once stable. */
export function changed(): Decision {
  return { to: 'left', code: 'FILE_CHANGED_WHILE_READING', message: reasonText('FILE_CHANGED_WHILE_READING') };
}
