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
import type { CodeTable, Standard, StandardField } from '../standards/types.js';
import { checkFieldInto, fieldLabel, type FieldContext, type FieldFindings } from './field-check.js';
import { normaliseFieldCodes, type NormalisedCodes } from './field-codes.js';
import { finding } from './reasons.js';
import { applyRulesInPlace } from './rules.js';
import { hasKeys, sameKeys } from '../records/key-order.js';

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
  const { codes, shape } = inCurrentTerms(input, standard);
  const shapeGiven = shape.given;
  // A fresh list where there is nothing to copy: slice() on the shared frozen empty list takes V8's slow path.
  const errors: Finding[] = codes.errors.length ? codes.errors.slice() : [];
  const warnings: Finding[] = codes.warnings.length ? codes.warnings.slice() : [];
  // Each field's findings go straight to these lists: no outcome made per field of every record.
  const found: FieldFindings = { errors, warnings };
  // Every field given is written below, in the standard's order: a copy of the shape's template of those
  // fields is filled in place and stays a fast object, where one given 20-odd keys by name one by one
  // becomes a dictionary, which every later read and both JSON.stringify calls (fingerprint, line) pay for.
  // With a day of reading, the template has the fields the rules will derive too (applyRules: a status
  // derived from the end date), last as they would be added: a member added by name to each record's
  // data took V8's slow path, per record; null until derived, it reads to every rule as absent did.
  const data: RecordData = { ...(ctx.today ? shape.derived : shape.template) };
  // Every field of the standard is visited for every record, most of them absent: nothing is allocated for those.
  // One context for the code fields, its table set field by field: checkFieldInto keeps none of it. Both are
  // written as one literal, members and all: a spread of one into the other, plus a member, cost more per
  // record than checking a field, and so did setting the table on the object that made.
  const subjectKind = ctx.subject?.kind ?? null;
  const today = ctx.today || undefined;
  const fieldCtx: FieldContext = { subjectKind, today, table: undefined };
  const codeCtx: FieldContext = { subjectKind, today, table: undefined };

  // Index loops over the plan's lists (and the standard's, in rules.ts): V8 iterates a frozen array off
  // its fast path (for-of allocates per element, some/filter run ~9× slower), per row.
  const fields = fieldsPlanned(standard);
  for (let f = 0; f < fields.length; f++) {
    const { field, table } = fields[f]!;
    const given = shapeGiven[f] === 1;
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
    if (field.codeTable) codeCtx.table = table;
    const errorsBefore = errors.length;
    const value = checkFieldInto(field, raw, field.codeTable ? codeCtx : fieldCtx, found);
    if (given) data[field.code] = value;
    if (field.required && isBlank(value) && errors.length === errorsBefore) {
      errors.push(finding('FIELD_REQUIRED', field.code, { field: fieldLabel(field) }));
    }
    const mismatch = kindMismatch(field, value, standard, ctx);
    if (mismatch) errors.push(mismatch);
  }

  // The data is this call's own: the rules derive their fields into it rather than into a copy.
  const ruled = applyRulesInPlace(standard, data, ctx.today ? { today: ctx.today } : {});
  for (let i = 0; i < ruled.errors.length; i++) errors.push(ruled.errors[i]!);
  for (let i = 0; i < ruled.warnings.length; i++) warnings.push(ruled.warnings[i]!);
  // Most records have no finding at all, and one cannot repeat: no sets for those.
  return { data: ruled.data, errors: errors.length > 1 ? firstPerField(errors) : errors, warnings: warnings.length > 1 ? distinct(warnings) : warnings };
}

/**
 * Data mapped under a job's fields, which mapAndValidate has already read
 * in the standard's terms: the same few key lists, each found current once
 * and then passed through as they are, not renamed again record by record.
 * Each comes with the data checkData makes of it: the standard's fields
 * among those keys, in the standard's order, each null.
 */
interface CurrentShape {
  keys: readonly string[];
  template: RecordData;
  /** The template with the fields the rules derive from it when the day of reading is known, after the others. */
  derived: RecordData;
  /** Per field of the standard, in its order: 1 where the data has it. */
  given: Uint8Array;
}

const CURRENT_SHAPES = 8;
const currentShapes = new WeakMap<Standard, CurrentShape[]>();
const NO_RENAMES: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_FINDINGS: Finding[] = Object.freeze([]) as unknown as Finding[];

function inCurrentTerms(input: RecordData, standard: Standard): { codes: NormalisedCodes<Value>; shape: CurrentShape } {
  let shapes = currentShapes.get(standard);
  if (!shapes) currentShapes.set(standard, (shapes = []));
  // Recognised by walking the input's keys in place: most records have a shape already seen.
  for (let i = 0; i < shapes.length; i++) {
    const shape = shapes[i]!;
    if (hasKeys(input, shape.keys)) return { codes: { values: input, renamed: NO_RENAMES, errors: NO_FINDINGS, warnings: NO_FINDINGS }, shape };
  }
  const keys = Object.keys(input);
  const codes = normaliseFieldCodes(input, standard);
  const shape: CurrentShape = { keys, ...shapeOf(codes.values, standard) };
  const current = !codes.errors.length && !codes.warnings.length && sameKeys(Object.keys(codes.values), keys);
  if (current) {
    if (shapes.length === CURRENT_SHAPES) shapes.pop();
    shapes.unshift(shape);
  }
  return { codes, shape };
}

function shapeOf(values: RecordData, standard: Standard): Omit<CurrentShape, 'keys'> {
  const template: RecordData = {};
  const given = new Uint8Array(standard.fields.length);
  for (let f = 0; f < standard.fields.length; f++) {
    const code = standard.fields[f]!.code;
    if (!Object.hasOwn(values, code)) continue;
    template[code] = null;
    given[f] = 1;
  }
  const derived: RecordData = { ...template };
  for (const code of derivedFields(standard, template)) derived[code] = null;
  // A spread copy of an object given its keys one by one is a fast object, and so are copies of it.
  return { template: { ...template }, derived: { ...derived }, given };
}

/** The fields applyRules adds to data of these fields, given a day of reading, in the order it adds them. */
function derivedFields(standard: Standard, fields: RecordData): string[] {
  const added: string[] = [];
  for (let r = 0; r < standard.rules.length; r++) {
    const rule = standard.rules[r]!;
    // A rule under a condition may derive nothing: its field is left to be added, as before.
    if (rule.kind !== 'publicationStatus' || rule.when !== undefined) continue;
    const dateField = rule.fields[0]!;
    const statusField = rule.fields[1]!;
    if (Object.hasOwn(fields, dateField) && !Object.hasOwn(fields, statusField) && !added.includes(statusField)) added.push(statusField);
  }
  return added;
}

/**
 * The standard's fields as checkData visits them, each with its code table. The standard's own field
 * objects have a dozen different member lists (each lists only what it has), which made every member
 * read in checkData's loop and in checkFieldInto megamorphic; these list every member StandardField has,
 * in one order, so all share one shape. The standard's own members are spread over the blank ones:
 * a member added to StandardField and not listed here is still copied (the shapes then differ, no more).
 */
interface PlannedField {
  field: StandardField;
  table: Readonly<CodeTable> | undefined;
}

const BLANK_FIELD: Record<keyof StandardField, undefined> = {
  code: undefined, name: undefined, type: undefined, maxLength: undefined, required: undefined, codeTable: undefined,
  multiple: undefined, format: undefined, scale: undefined, unit: undefined, identifier: undefined, longTerm: undefined,
  subject: undefined, description: undefined, aliases: undefined,
};

const planned = new WeakMap<Standard, readonly PlannedField[]>();

function fieldsPlanned(standard: Standard): readonly PlannedField[] {
  let fields = planned.get(standard);
  if (!fields) {
    fields = standard.fields.map((f) => ({
      field: { ...BLANK_FIELD, ...f } as StandardField,
      table: f.codeTable === undefined ? undefined : standard.codeTables[f.codeTable],
    }));
    planned.set(standard, fields);
  }
  return fields;
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
  // Index loops, no closure made per record: a frozen list is iterated off V8's fast path (see checkData).
  const values = table.values;
  let at = 0;
  while (at < values.length && values[at]!.value !== value) at++;
  const stated = at < values.length ? values[at]!.subjectKind : undefined;
  if (stated === undefined || stated === kind) return null;
  let expected: string = kind;
  for (let i = 0; i < values.length; i++) {
    if (values[i]!.subjectKind === kind) {
      expected = values[i]!.value ?? kind;
      break;
    }
  }
  return finding('SUBJECT_KIND_MISMATCH', field.code, { field: fieldLabel(field), value: String(value), kind: expected });
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
