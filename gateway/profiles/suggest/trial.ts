/**
 * The sample run through a proposed profile, nothing stored, nothing sent:
 * how many rows would travel, how many would be refused and why, with a few
 * rows of each reason as the clerk finds them (`sheet!row`, the export's
 * header, the value masked). Pure.
 *
 * Until the profiles module's own trial is on main, rows are shaped here the
 * simple way the contract describes (data-rows.ts) and mapped and validated
 * by the same `mapAndValidate` every job uses.
 */
import type { Row, Value } from '../../../connectors/contract.js';
import type { GridRow } from '../../../connectors/files/workbook.js';
import { reasonText } from '../../files/file-reasons.js';
import { maskQuoted } from '../../identifiers/mask.js';
import type { FieldRule, JobMapping } from '../../mapping/types.js';
import { mapAndValidate } from '../../validation/map-and-validate.js';
import { dataRows } from './data-rows.js';
import type { FoundHeader } from './find-header.js';
import type { Proposal, ProposedProfile } from './propose.js';
import { cellText, rowLabel, type SampleSheet } from './sample.js';

export interface TrialExample {
  /** `sheet!row`, or `第N行` for CSV. */
  at: string;
  /** The export's header of the column concerned, when one is. */
  column?: string;
  /** Its value, masked. */
  value?: string;
  message: string;
}

export interface TrialReason {
  code: string;
  /** Rows refused for it (a row refused for two reasons counts under both). */
  count: number;
  examples: TrialExample[];
}

export interface TrialResult {
  /** Data rows read. */
  rows: number;
  sent: number;
  rejected: number;
  /** Rows below the data that are not records (合计, 注, 制表人 …). */
  notData: number;
  /** Most frequent first. */
  reasons: TrialReason[];
}

export const TRIAL_EXAMPLES = 3;

export function jobMappingOf(profile: ProposedProfile): JobMapping {
  const fields: Record<string, string | FieldRule> = {};
  for (const [code, rule] of Object.entries(profile.fields)) fields[code] = typeof rule === 'string' ? rule : (rule as FieldRule);
  return { name: `profile:${profile.name}`, category: profile.category, key: profile.key, subject: profile.subject, fields };
}

/** The row as the mapping sees it: each header name → the cell under it (safe integers read as their digits, as codes are). */
function rowOf(columns: FoundHeader['columns'], row: GridRow): Row {
  const out = Object.create(null) as Row;
  for (const c of columns) {
    const value: Value = row.cells[c.column] ?? null;
    out[c.name] = value;
  }
  return out;
}

/** The export's columns a finding is about: a field's column(s), the key's, the subject's. */
function columnsOfFinding(profile: ProposedProfile, field: string): string[] {
  if (field === 'key') return profile.key;
  if (field === 'subject.name') return [profile.subject.name];
  if (field === 'subject.code') return [profile.subject.code];
  if (field === 'subject.kind') return typeof profile.subject.kind === 'string' ? [] : [profile.subject.kind.column];
  const rule = profile.fields[field];
  if (rule === undefined) return [];
  return typeof rule === 'string' ? [rule] : rule.column !== undefined ? [rule.column] : [];
}

export function trialProposal(proposal: Proposal, ctx: { observedAt: string; gatewayId?: string }): TrialResult {
  const { profile, standard } = proposal;
  const job = jobMappingOf(profile);
  const reasons = new Map<string, TrialReason>();
  const result: TrialResult = { rows: 0, sent: 0, rejected: 0, notData: 0, reasons: [] };
  const note = (code: string, example: TrialExample) => {
    const reason = reasons.get(code) ?? { code, count: 0, examples: [] };
    reason.count++;
    if (reason.examples.length < TRIAL_EXAMPLES) reason.examples.push(example);
    reasons.set(code, reason);
  };
  for (const { sheet, header } of proposal.sheets) trySheet(sheet, header);
  result.reasons = [...reasons.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return result;

  function trySheet(sheet: SampleSheet, header: FoundHeader): void {
    const { data, notData } = dataRows(sheet, header);
    result.notData += notData;
    for (const grid of data) {
      result.rows++;
      const at = rowLabel(sheet.info.name, grid.rowNumber);
      const refused = grid.problems.filter((p) => header.columns.some((c) => c.column === p.column));
      if (refused.length > 0) {
        result.rejected++;
        for (const p of refused) {
          const column = header.columns.find((c) => c.column === p.column)!.name;
          note(p.problem.code, { at, column, message: reasonText(p.problem.code, p.problem.params) });
        }
        continue;
      }
      const row = rowOf(header.columns, grid);
      const mapped = mapAndValidate(job, row, { gatewayId: ctx.gatewayId ?? 'profile-suggest', observedAt: ctx.observedAt }, { standard });
      if (mapped.ok) {
        result.sent++;
        continue;
      }
      result.rejected++;
      const seen = new Set<string>();
      for (const f of mapped.rejection.findings) {
        if (seen.has(f.code)) continue;
        seen.add(f.code);
        const column = columnsOfFinding(profile, f.field)[0];
        const value = column !== undefined ? cellText(row[column]) : '';
        note(f.code, { at, ...(column !== undefined ? { column } : {}), ...(value !== '' ? { value: maskQuoted(value) } : {}), message: f.message });
      }
    }
  }
}
