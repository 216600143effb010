/**
 * The one call a job makes per row: map it, check it, and get either the
 * record to store or the rejection to show, with every finding of the row.
 *
 * With the category's standard (options.standard) the row is also checked
 * against it: the job's field codes are read in current terms (an older
 * template's `CF_XDR_ZDM` is sent as `CF_XDR_ZZJG`), values are normalised
 * as the standard sends them, and its cross-field rules apply. Without one,
 * only the subject and `requiredFields` are checked, as before standards
 * existed.
 */
import type { Row } from '../../connectors/contract.js';
import { draftRow, recordFromDraft, rejectionFromDraft, type MapResult } from '../mapping/map-row.js';
import type { FieldRule, JobMapping, MapContext } from '../mapping/types.js';
import type { Finding } from '../model.js';
import type { Standard } from '../standards/types.js';
import { normaliseFieldCodes, type NormalisedCodes } from './field-codes.js';
import { checkData, type DataContext } from './standard-data.js';
import { checkSubject } from './subject.js';
import { dayOfReading, missingRequired, type ValidateOptions } from './validate-record.js';

export interface MapValidateOptions extends ValidateOptions {
  /** The data standard of the job's category (loadStandards().standardFor(category)). */
  standard?: Standard;
}

/** A job as mapped under its standard: its fields under their current codes, and what reading them found. */
interface JobInTerms {
  fields: JobMapping['fields'];
  mapping: JobMapping;
  codes: NormalisedCodes<string | FieldRule>;
}

/**
 * A job's field codes read in its standard's terms, once per job and
 * standard rather than once per row: they are the same for every row.
 */
const inTerms = new WeakMap<JobMapping, WeakMap<Standard, JobInTerms>>();

function jobInTerms(job: JobMapping, standard: Standard): JobInTerms {
  let byStandard = inTerms.get(job);
  if (!byStandard) inTerms.set(job, (byStandard = new WeakMap()));
  let known = byStandard.get(standard);
  if (!known || known.fields !== job.fields) {
    const codes = normaliseFieldCodes(job.fields, standard);
    byStandard.set(standard, (known = { fields: job.fields, mapping: { ...job, fields: codes.values }, codes }));
  }
  return known;
}

export function mapAndValidate(job: JobMapping, row: Row, ctx: MapContext, options: MapValidateOptions = {}): MapResult {
  const { standard } = options;
  const inStandard = standard ? jobInTerms(job, standard) : null;
  const codes = inStandard?.codes ?? null;
  const draft = draftRow(
    inStandard?.mapping ?? job,
    row,
    // A job naming a code table of its own standard needs no tables passed besides.
    standard && !ctx.codeTables ? { ...ctx, codeTables: standard.codeTables } : ctx,
  );
  if (draft.op === 'delete') {
    return draft.findings.length ? { ok: false, rejection: rejectionFromDraft(draft, draft.findings) } : { ok: true, record: recordFromDraft(draft) };
  }
  const today = dayOfReading(ctx.observedAt, options);
  const check = checkSubject(draft.subject!, today);
  let data = draft.data;
  const validation: Finding[] = check.errors.slice();
  const warnings: Finding[] = codes?.warnings.length ? [...codes.warnings, ...check.warnings] : check.warnings.slice();
  if (standard) {
    const codeOk = check.subject !== undefined && !check.errors.some((f) => f.field === 'subject.code');
    const mapped = draft.subject!;
    const subject: DataContext['subject'] = { kind: mapped.kind, name: mapped.name, code: mapped.code };
    if (codeOk) subject.checkedCode = check.subject!.code;
    const checked = checkData(draft.data ?? {}, standard, today ? { today, subject } : { subject });
    data = checked.data;
    for (const e of checked.errors) validation.push(e);
    for (const w of checked.warnings) warnings.push(w);
  }
  if (options.requiredFields?.length) validation.push(...missingRequired(data, options.requiredFields));
  const errors = oneFindingPerField(codes?.errors.length ? [...codes.errors, ...draft.findings] : draft.findings, validation);
  if (errors.length) return { ok: false, rejection: rejectionFromDraft(draft, errors) };
  return { ok: true, record: recordFromDraft(draft, check.subject, warnings, data ?? draft.data ?? {}) };
}

/**
 * Mapping findings first; a field mapping already reported (a missing
 * column, an unreadable date) gets no second finding for the null it left.
 */
function oneFindingPerField(mapping: Finding[], validation: Finding[]): Finding[] {
  if (!validation.length) return mapping;
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
