/**
 * The one call a job makes per row: map it, check it, and get either the
 * record to store or the rejection to show, with every finding of the row.
 */
import type { Row } from '../../connectors/contract.js';
import { draftRow, recordFromDraft, rejectionFromDraft, type MapResult } from '../mapping/map-row.js';
import type { JobMapping, MapContext } from '../mapping/types.js';
import type { Finding } from '../model.js';
import { checkSubject } from './subject.js';
import { dayOfReading, missingRequired, type ValidateOptions } from './validate-record.js';

export function mapAndValidate(job: JobMapping, row: Row, ctx: MapContext, options: ValidateOptions = {}): MapResult {
  const draft = draftRow(job, row, ctx);
  if (draft.op === 'delete') {
    return draft.findings.length ? { ok: false, rejection: rejectionFromDraft(draft, draft.findings) } : { ok: true, record: recordFromDraft(draft) };
  }
  const check = checkSubject(draft.subject!, dayOfReading(ctx.observedAt, options));
  const errors = oneFindingPerField(draft.findings, [...check.errors, ...missingRequired(draft.data, options.requiredFields)]);
  if (errors.length) return { ok: false, rejection: rejectionFromDraft(draft, errors) };
  return { ok: true, record: recordFromDraft(draft, check.subject, check.warnings) };
}

/**
 * Mapping findings first; a field mapping already reported (a missing
 * column, an unreadable date) gets no second finding for the null it left.
 */
function oneFindingPerField(mapping: Finding[], validation: Finding[]): Finding[] {
  const reported = new Set(mapping.map((f) => f.field));
  const seen = new Set(mapping.map((f) => `${f.field}\u0000${f.code}`));
  const rest = validation.filter((f) => {
    const id = `${f.field}\u0000${f.code}`;
    if (reported.has(f.field) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return [...mapping, ...rest];
}
