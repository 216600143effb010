/**
 * A page of a dropped file's rows as a store page, plus the lines the error
 * report gets for it. Pure: rows, column plan and category in; records,
 * rejections and report lines out.
 *
 * Each row is renamed to field codes, mapped and validated like a database
 * row. A problem the reader found (a formula, a ragged row, an oversized
 * cell) refuses the row even when mapping would accept what is left of it;
 * the rejection then names the reader's problem first and leaves out
 * mapping's findings on the same field, or on a role resting on it (a
 * formula's cell reads as empty, and "required field is empty" or "key is
 * empty" would only repeat it). Refused rows go to the
 * store as local rejections, for the status page, and to the report.
 */
import type { Row } from '../../connectors/contract.js';
import type { FileRow, RowProblem } from '../../connectors/files/file-table.js';
import type { CandidateRecord, Finding, LocalRejection, Page } from '../model.js';
import { fieldLabel, type ColumnPlan } from './column-plan.js';
import type { ReportLine } from './error-report.js';
import type { FileCategory } from './file-category.js';
import { reasonText } from './file-reasons.js';

export interface FilePageInput {
  job: string;
  gatewayId: string;
  category: FileCategory;
  plan: ColumnPlan;
  observedAt: string;
}

/** `refused`: rows of the page that were refused (several may share one record id, and so one stored rejection). */
export function filePage(rows: readonly FileRow[], input: FilePageInput): { page: Page; report: ReportLine[]; refused: number } {
  const { category, plan } = input;
  const records = new Map<string, CandidateRecord>();
  const rejections = new Map<string, LocalRejection>();
  const report: ReportLine[] = [];
  let refused = 0;
  for (const row of rows) {
    const outcome = category.mapRow(rowInFields(row, plan, category), { gatewayId: input.gatewayId, observedAt: input.observedAt });
    const fileFindings = row.problems.map((p) => problemFinding(p, plan));
    let rejection: LocalRejection | null = null;
    if (fileFindings.length > 0) {
      const reported = new Set(fileFindings.map((f) => f.field).filter((f) => f !== ''));
      // A finding on a role ('key', 'subject.code') is about the fields behind it: already said if one of them was.
      const repeats = (f: Finding) => reported.has(f.field) || (category.roleFields?.[f.field] ?? []).some((b) => reported.has(b));
      rejection = outcome.ok
        ? { category: category.code, key: outcome.record.key, recordId: outcome.record.id, findings: fileFindings, observedAt: input.observedAt }
        : { ...outcome.rejection, findings: [...fileFindings, ...outcome.rejection.findings.filter((f) => !repeats(f))] };
    } else if (!outcome.ok) rejection = outcome.rejection;

    if (rejection) {
      refused += 1;
      records.delete(rejection.recordId);
      rejections.set(rejection.recordId, rejection);
      for (const f of rejection.findings) report.push({ row: row.rowNumber, field: findingLabel(f.field, plan, category), code: f.code, message: f.message });
    } else if (outcome.ok) {
      // Of two rows with one key in a page the later is kept, as for database pages.
      rejections.delete(outcome.record.id);
      records.delete(outcome.record.id);
      records.set(outcome.record.id, outcome.record);
    }
  }
  return {
    page: { job: input.job, records: [...records.values()], rejections: [...rejections.values()], cursor: null, rowsRead: rows.length },
    report,
    refused,
  };
}

/**
 * The row with field codes for names, every column the mapping reads
 * present (absent ones as null), and key values trimmed: a space a clerk
 * typed after a document number must not make it another record.
 */
function rowInFields(row: FileRow, plan: ColumnPlan, category: FileCategory): Row {
  const out = Object.create(null) as Row;
  for (const column of plan.absent) out[column] = null;
  for (const [header, value] of Object.entries(row.values)) {
    const field = plan.fieldOf.get(header);
    if (field !== undefined) out[field] = value ?? null;
  }
  for (const column of category.key) {
    const value = out[column];
    if (typeof value === 'string') out[column] = value.trim();
  }
  return out;
}

function problemFinding(problem: RowProblem, plan: ColumnPlan): Finding {
  const field = problem.column === null ? '' : (plan.fieldOf.get(problem.column) ?? problem.column);
  return { field, code: problem.code, message: reasonText(problem.code, problem.params) };
}

/** What the report's 字段 column says for a finding: the column as the file heads it, where there is one. */
export function findingLabel(field: string, plan: ColumnPlan, category: FileCategory): string {
  if (field === '') return '';
  const header = (f: string) => plan.headerOf.get(f) ?? fieldLabel(category, f);
  if (plan.headerOf.has(field)) return plan.headerOf.get(field)!;
  const behind = category.roleFields?.[field];
  if (behind && behind.length > 0) return behind.map(header).join('、');
  return fieldLabel(category, field);
}
