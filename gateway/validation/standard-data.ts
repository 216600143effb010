/**
 * A record's data against its category's standard: field codes in current
 * terms, each field checked and normalised, required fields present, then
 * the rules across fields. Each field gets at most one error, the first a
 * clerk has to fix, so the list reads as a to-do list.
 */
import type { Value } from '../../connectors/contract.js';
import { normaliseIdentifier } from '../identifiers/normalise.js';
import { isBlank } from '../mapping/field-value.js';
import type { Finding, RecordData, SubjectKind } from '../model.js';
import type { Standard, StandardField } from '../standards/types.js';
import { checkField, fieldLabel, type FieldContext } from './field-check.js';
import { normaliseFieldCodes, type NormalisedCodes } from './field-codes.js';
import { finding } from './reasons.js';
import { applyRules } from './rules.js';
import { hasKeys, sameKeys } from '../records/serialize.js';

export interface DataContext {
  /** The day the record was read ('YYYY-MM-DD', in China): no decision is dated after it. */
  today?: string;
  /**
   * The record's subject as mapped, and its code as the subject check
   * normalised it (absent when that check failed). A data field repeating
   * the subject's code, or its missing name, is not reported twice.
   */
  subject?: { kind: SubjectKind | null; name?: string; code: string; checkedCode?: string };
}

export interface DataCheck {
  /** The data as it should be sent: current codes, normalised values, derived fields. */
  data: RecordData;
  errors: Finding[];
  warnings: Finding[];
}

const SUBJECT_CODE_ROLES = new Set(['legalCode', 'naturalCode']);

export function checkData(input: RecordData, standard: Standard, ctx: DataContext = {}): DataCheck {
  const codes = inCurrentTerms(input, standard);
  const errors: Finding[] = codes.errors.slice();
  const warnings: Finding[] = codes.warnings.slice();
  const data: RecordData = {};
  // Every field of the standard is visited for every record, most of them absent: nothing is allocated for those.
  const fieldCtx: FieldContext = ctx.today ? { subjectKind: ctx.subject?.kind ?? null, today: ctx.today } : { subjectKind: ctx.subject?.kind ?? null };
  // One context for the code fields, its table set field by field: checkField keeps none of it.
  const codeCtx: FieldContext = { ...fieldCtx, table: undefined };

  // Index loops over the standard's lists, here and in rules.ts: they are frozen, and V8 iterates a
  // frozen array off its fast path (for-of allocates per element, some/filter run ~9× slower), per row.
  const fields = standard.fields;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f]!;
    const given = Object.hasOwn(codes.values, field.code);
    const raw: Value = given ? codes.values[field.code]! : null;
    if (isBlank(raw)) {
      if (given) data[field.code] = null;
      // A missing name the subject check already reported is not reported again here.
      const nameReported = field.subject === 'name' && ctx.subject?.name !== undefined && isBlank(ctx.subject.name);
      if (field.required && !nameReported) errors.push(finding('FIELD_REQUIRED', field.code, { field: fieldLabel(field) }));
      continue;
    }
    if (given && repeatsSubjectCode(field, raw, ctx)) {
      data[field.code] = ctx.subject!.checkedCode ?? raw;
      continue;
    }
    if (field.codeTable) codeCtx.table = standard.codeTables[field.codeTable];
    const checked = checkField(field, raw, field.codeTable ? codeCtx : fieldCtx);
    if (given) data[field.code] = checked.value;
    for (let i = 0; i < checked.errors.length; i++) errors.push(checked.errors[i]!);
    for (let i = 0; i < checked.warnings.length; i++) warnings.push(checked.warnings[i]!);
    if (field.required && isBlank(checked.value) && !checked.errors.length) {
      errors.push(finding('FIELD_REQUIRED', field.code, { field: fieldLabel(field) }));
    }
    const mismatch = kindMismatch(field, checked.value, standard, ctx);
    if (mismatch) errors.push(mismatch);
  }

  // applyRules copies data, and the copy matters: an object given more than about 16 properties under
  // computed names, as data was above, is kept by V8 as a dictionary, which the fingerprint's and the
  // line's JSON.stringify and every read of a field then pay for; a spread copy of it is a fast object.
  const ruled = applyRules(standard, data, ctx.today ? { today: ctx.today } : {});
  for (let i = 0; i < ruled.errors.length; i++) errors.push(ruled.errors[i]!);
  for (let i = 0; i < ruled.warnings.length; i++) warnings.push(ruled.warnings[i]!);
  // Most records have no finding at all, and one cannot repeat: no sets for those.
  return { data: ruled.data, errors: errors.length > 1 ? firstPerField(errors) : errors, warnings: warnings.length > 1 ? distinct(warnings) : warnings };
}

/**
 * Data mapped under a job's fields, which mapAndValidate has already read
 * in the standard's terms: the same few key lists, each found current once
 * and then passed through as they are, not renamed again record by record.
 */
const CURRENT_SHAPES = 8;
const currentShapes = new WeakMap<Standard, (readonly string[])[]>();

function inCurrentTerms(input: RecordData, standard: Standard): NormalisedCodes<Value> {
  let shapes = currentShapes.get(standard);
  if (!shapes) currentShapes.set(standard, (shapes = []));
  // Recognised by walking the input's keys in place: most records have a shape already seen.
  for (let i = 0; i < shapes.length; i++) if (hasKeys(input, shapes[i]!)) return { values: input, renamed: {}, errors: [], warnings: [] };
  const keys = Object.keys(input);
  const codes = normaliseFieldCodes(input, standard);
  const current = !codes.errors.length && !codes.warnings.length && sameKeys(Object.keys(codes.values), keys);
  if (current) {
    if (shapes.length === CURRENT_SHAPES) shapes.pop();
    shapes.unshift(keys);
  }
  return codes;
}


/** The subject check already reported on this value, under subject.code. */
function repeatsSubjectCode(field: StandardField, raw: Value, ctx: DataContext): boolean {
  return (
    field.subject !== undefined && SUBJECT_CODE_ROLES.has(field.subject) && ctx.subject !== undefined && !isBlank(raw) &&
    // Most often the column the subject's code was mapped from: equal as given, equal normalised.
    (raw === ctx.subject.code || normaliseIdentifier(String(raw)) === normaliseIdentifier(ctx.subject.code))
  );
}

/** 行政相对人类别 saying 自然人 on a record whose subject is a company: one of the two is wrong. */
function kindMismatch(field: StandardField, value: Value, standard: Standard, ctx: DataContext): Finding | null {
  const kind = ctx.subject?.kind;
  if (field.subject !== 'kind' || !kind || isBlank(value) || !field.codeTable) return null;
  const table = standard.codeTables[field.codeTable]!;
  const stated = findValue(table.values, (v) => v.value === value)?.subjectKind;
  if (stated === undefined || stated === kind) return null;
  const expected = findValue(table.values, (v) => v.subjectKind === kind)?.value ?? kind;
  return finding('SUBJECT_KIND_MISMATCH', field.code, { field: fieldLabel(field), value: String(value), kind: expected });
}

/** Array.prototype.find for a frozen list, on the fast path (see checkData). */
function findValue<T>(list: readonly T[], match: (item: T) => boolean): T | undefined {
  for (let i = 0; i < list.length; i++) if (match(list[i]!)) return list[i];
  return undefined;
}

function firstPerField(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.field) && (seen.add(f.field), true));
}

function distinct(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const id = `${f.field}\u0000${f.code}`;
    return !seen.has(id) && (seen.add(id), true);
  });
}
