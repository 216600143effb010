/**
 * The sample run through a proposed profile, nothing stored, nothing sent:
 * the profile compiled as the configuration would compile it and every
 * sheet it wants read by the drop folder's own trial (profiles/trial.ts),
 * so what suggest promises is what the drop folder does. How many rows
 * would travel, how many would be refused and why, with a few rows of each
 * reason as the clerk finds them (`sheet!row`, the export's header, the
 * value masked). Pure.
 */
import type { ProfileConfig } from '../../../config/schema.js';
import type { ReportLine } from '../../files/error-report.js';
import { maskQuoted } from '../../identifiers/mask.js';
import { compileProfile } from '../compile.js';
import { bindColumns, cellText } from '../shape.js';
import { trialSheet } from '../trial.js';
import type { Proposal } from './propose.js';
import { rowLabel, type Sample, type SampleSheet } from './sample.js';

export interface TrialExample {
  /** `sheet!row`, or `第N行` for CSV; the sheet alone for a problem of the whole sheet. */
  at: string;
  /** The export's header of the column concerned, when one is. */
  column?: string;
  /** Its value, masked. */
  value?: string;
  message: string;
}

export interface TrialReason {
  code: string;
  /** Rows refused for it (a row refused for two reasons counts under both); 1 for a problem of a whole sheet. */
  count: number;
  examples: TrialExample[];
}

export interface TrialResult {
  /** Data rows read. */
  rows: number;
  /** Records that would be sent (two rows with one key are one record). */
  sent: number;
  /** Rows refused. */
  rejected: number;
  /** Rows below the data that are not records (合计, 注, 制表人 …). */
  notData: number;
  /** Most frequent first. */
  reasons: TrialReason[];
}

export const TRIAL_EXAMPLES = 3;

export interface TrialContext {
  observedAt: string;
  gatewayId?: string;
}

export function trialProposal(proposal: Proposal, sample: Sample, ctx: TrialContext): TrialResult {
  const profile = compileProfile(proposal.profile as ProfileConfig, proposal.standard);
  const own = new Set(proposal.sheets.map((s) => s.sheet));
  const mapCtx = { gatewayId: ctx.gatewayId ?? 'profile-suggest', observedAt: ctx.observedAt };
  const reasons = new Map<string, TrialReason & { rows: Set<string> }>();
  const result: TrialResult = { rows: 0, sent: 0, rejected: 0, notData: 0, reasons: [] };
  const sent = new Set<string>();
  for (const sheet of sample.sheets) {
    if (!profile.wantsSheet(sheet.info)) continue;
    const trial = trialSheet(sheet.info, sheet, sheet.rows, profile, mapCtx);
    // The drop folder passes over a sheet whose header is not there; one the proposal was made from must have it.
    if (!trial.shape && !own.has(sheet)) continue;
    result.rows += trial.rows;
    result.rejected += trial.refused;
    result.notData += trial.footers;
    for (const r of trial.records) sent.add(r.id);
    const valueAt = cellValues(sheet, trial.shape ? bindColumns(trial.shape, profile.columns) : null);
    for (const line of trial.report) {
      const reason = reasons.get(line.code) ?? { code: line.code, count: 0, examples: [], rows: new Set<string>() };
      reasons.set(line.code, reason);
      const at = line.row === null ? sheet.info.name || '（文件）' : rowLabel(sheet.info.name, line.row);
      // A row counts once per reason; a sheet lacking several columns, once per column.
      const seen = `${at}\u0000${line.code === 'FILE_COLUMN_MISSING' ? line.field : ''}`;
      if (reason.rows.has(seen)) continue;
      reason.rows.add(seen);
      reason.count++;
      if (reason.examples.length < TRIAL_EXAMPLES) reason.examples.push(example(at, line, valueAt));
    }
  }
  result.sent = sent.size;
  result.reasons = [...reasons.values()]
    .map(({ rows: _rows, ...r }) => r)
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return result;
}

/** A cell's text by row number and the export's header, for examples. */
function cellValues(sheet: SampleSheet, binding: ReturnType<typeof bindColumns> | null): (row: number, header: string) => string {
  const byName = new Map<string, number>();
  for (const [index, name] of binding?.nameOf ?? []) byName.set(name, index);
  const byRow = new Map(sheet.rows.map((r) => [r.rowNumber, r]));
  return (row, header) => {
    const index = byName.get(header.split('、')[0]!);
    return index === undefined ? '' : cellText(byRow.get(row)?.cells[index]);
  };
}

function example(at: string, line: ReportLine, valueAt: (row: number, header: string) => string): TrialExample {
  const value = line.row !== null && line.field !== '' ? valueAt(line.row, line.field) : '';
  return {
    at,
    ...(line.field !== '' ? { column: line.field } : {}),
    ...(value !== '' ? { value: maskQuoted(value) } : {}),
    message: line.message,
  };
}
