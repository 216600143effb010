/**
 * Rows of a shaped sheet through a compiled profile: the records to store,
 * the rejections to keep and the report's lines, each naming the sheet, the
 * row as the export numbers it and the column by the export's header. Pure;
 * the drop folder commits what this returns page by page, and `profile
 * suggest` runs a sample through it with nothing stored.
 *
 * A cell the reader refused (a formula, an error value, a number past 15
 * digits) refuses its row only when the profile reads that column: the
 * =ROW() in an export's 序号 column is nobody's business.
 */
import type { Row, Value } from '../../connectors/contract.js';
import type { RowProblemCode } from '../../connectors/files/file-table.js';
import type { GridRow, SheetInfo } from '../../connectors/files/workbook.js';
import type { ReportLine } from '../files/error-report.js';
import { reasonText } from '../files/file-reasons.js';
import type { MapContext } from '../mapping/types.js';
import type { CandidateRecord, Finding, LocalRejection } from '../model.js';
import type { CompiledProfile } from './compile.js';
import { bindColumns, findHeader, RowClassifier, type ColumnBinding, type SheetLayout, type SheetShape } from './shape.js';

/** A data row keyed by the profile's column references. */
export interface ProfileRow {
  rowNumber: number;
  /** Null-prototype; every reference the profile reads is present (null where the sheet has no such column). */
  values: Row;
  /** Refused cells of columns the profile reads, by the export's header. */
  problems: { header: string; code: RowProblemCode; params: Record<string, string | number> }[];
}

/** The row's values under the profile's references; key values trimmed, so a trailing space is not another record. */
export function profileRow(row: GridRow, binding: ColumnBinding, profile: CompiledProfile): ProfileRow {
  const values = Object.create(null) as Row;
  for (const ref of profile.columns) {
    const i = binding.index.get(ref);
    values[ref] = i === undefined ? null : ((row.cells[i] ?? null) as Value);
  }
  for (const ref of profile.keyColumns) {
    const v = values[ref];
    if (typeof v === 'string') values[ref] = v.trim();
  }
  const read = new Set(binding.index.values());
  const problems = row.problems
    .filter((p) => read.has(p.column))
    .map((p) => ({ header: binding.nameOf.get(p.column) ?? '', code: p.problem.code, params: p.problem.params }));
  return { rowNumber: row.rowNumber, values, problems };
}

export interface TrialInput {
  /** The sheet's name ('' for CSV), for the report. */
  sheet: string;
  binding: ColumnBinding;
  ctx: MapContext;
}

export interface TrialOutcome {
  /** Good rows, the later of two with one key kept. */
  records: CandidateRecord[];
  rejections: LocalRejection[];
  report: ReportLine[];
  /** Rows refused (several may share one record id). */
  refused: number;
}

export function trialRows(rows: readonly ProfileRow[], profile: CompiledProfile, input: TrialInput): TrialOutcome {
  const records = new Map<string, CandidateRecord>();
  const rejections = new Map<string, LocalRejection>();
  const report: ReportLine[] = [];
  let refused = 0;
  for (const row of rows) {
    const outcome = profile.mapRow(row.values, input.ctx);
    const cellFindings: Finding[] = row.problems.map((p) => ({ field: `#${p.header}`, code: p.code, message: reasonText(p.code, p.params) }));
    let rejection: LocalRejection | null = null;
    if (cellFindings.length > 0) {
      const headers = new Set(row.problems.map((p) => p.header));
      // A refused cell reads as empty: "required" or "key is empty" on its column would only repeat it.
      const repeats = (f: Finding) => labelColumns(f.field, profile, input.binding).some((h) => headers.has(h));
      rejection = outcome.ok
        ? { category: profile.category, key: outcome.record.key, recordId: outcome.record.id, findings: cellFindings, observedAt: input.ctx.observedAt }
        : { ...outcome.rejection, findings: [...cellFindings, ...outcome.rejection.findings.filter((f) => !repeats(f))] };
    } else if (!outcome.ok) rejection = outcome.rejection;
    if (rejection) {
      refused += 1;
      records.delete(rejection.recordId);
      rejections.set(rejection.recordId, rejection);
      for (const f of rejection.findings) report.push({ sheet: input.sheet, row: row.rowNumber, field: findingColumn(f.field, profile, input.binding), code: f.code, message: f.message });
    } else if (outcome.ok) {
      rejections.delete(outcome.record.id);
      records.delete(outcome.record.id);
      records.set(outcome.record.id, outcome.record);
    }
  }
  return { records: [...records.values()], rejections: [...rejections.values()], report, refused };
}

/** The export's headers behind a finding's field. */
function labelColumns(field: string, profile: CompiledProfile, binding: ColumnBinding): string[] {
  if (field.startsWith('#')) return [field.slice(1)];
  return profile.columnsOf(field).map((ref) => {
    const i = binding.index.get(ref);
    return i === undefined ? ref : (binding.nameOf.get(i) ?? ref);
  });
}

/** What the report's 字段 column says: the export's header(s), else the field code. */
export function findingColumn(field: string, profile: CompiledProfile, binding: ColumnBinding): string {
  if (field === '') return '';
  const columns = labelColumns(field, profile, binding);
  return columns.length > 0 ? columns.join('、') : field;
}

/** What a whole sheet held, for a dry run. */
export interface SheetTrial extends TrialOutcome {
  shape: SheetShape | null;
  /** Column references the sheet lacks; when a required one is among them no row is read. */
  missing: readonly string[];
  /** Data rows read, and rows passed over as footers (合计, 注 …). */
  rows: number;
  footers: number;
}

/**
 * A sheet held in memory through the profile, as the drop folder reads it:
 * header found, columns bound, titles and footers passed over, every data
 * row mapped and validated. For `profile suggest`'s dry run and tests.
 */
export function trialSheet(info: SheetInfo, layout: SheetLayout, rows: readonly GridRow[], profile: CompiledProfile, ctx: MapContext): SheetTrial {
  const empty = { records: [], rejections: [], refused: 0, rows: 0, footers: 0 };
  const shape = findHeader(rows, layout, { signature: profile.signature, ...profile.header });
  if (!shape) {
    return { ...empty, shape, missing: [], report: [{ sheet: info.name, row: null, field: '', code: 'FILE_HEADER_NOT_FOUND', message: reasonText('FILE_HEADER_NOT_FOUND', { profile: profile.label, headers: profile.signature.join('、') || '（未设定）' }) }] };
  }
  const binding = bindColumns(shape, profile.columns);
  const lacking = binding.missing.filter((c) => profile.requiredColumns.includes(c));
  if (lacking.length > 0) {
    const report = lacking.map((c): ReportLine => ({ sheet: info.name, row: shape.headerRow, field: c, code: 'FILE_COLUMN_MISSING', message: reasonText('FILE_COLUMN_MISSING', { field: c }) }));
    return { ...empty, shape, missing: binding.missing, report };
  }
  const classifier = new RowClassifier(shape, profile.keyColumns.flatMap((c) => (binding.index.has(c) ? [binding.index.get(c)!] : [])));
  const data: ProfileRow[] = [];
  let footers = 0;
  for (const row of rows) {
    const kind = classifier.classify(row);
    if (kind === 'footer') footers += 1;
    if (kind === 'data') data.push(profileRow(row, binding, profile));
  }
  const outcome = trialRows(data, profile, { sheet: info.name, binding, ctx });
  return { ...outcome, shape, missing: binding.missing, rows: data.length, footers };
}
