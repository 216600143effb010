/**
 * The rules of a standard that tie fields together, run on values already
 * checked one by one (dates are YYYY-MM-DD, codes their table values, so
 * comparing them as text is comparing what they mean).
 */
import type { Value } from '../../connectors/contract.js';
import { isBlank } from '../mapping/field-value.js';
import type { Finding, RecordData } from '../model.js';
import { PUBLICATION_STATUS, type RuleCondition, type Standard, type StandardField, type StandardRule } from '../standards/types.js';
import { fieldLabel, MULTI_SEPARATOR } from './field-check.js';
import { finding } from './reasons.js';

export interface RuleContext {
  /** The day the record was read ('YYYY-MM-DD', in China); without it, rules about today are skipped. */
  today?: string;
}

export interface RuleOutcome {
  /** The data with derived fields filled in. */
  data: RecordData;
  errors: Finding[];
  warnings: Finding[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function holds(when: RuleCondition | undefined, data: RecordData): boolean {
  if (!when) return true;
  const value = data[when.field] ?? null;
  if (when.filled) return !isBlank(value);
  if (isBlank(value)) return false;
  // Most values hold one item: no list is split for them.
  const text = String(value);
  return text.includes(MULTI_SEPARATOR) ? text.split(MULTI_SEPARATOR).some((item) => when.in!.includes(item)) : when.in!.includes(text);
}

const fieldMaps = new WeakMap<Standard, ReadonlyMap<string, StandardField>>();

/** The standard's fields by code, built once per standard rather than once per record. */
function fieldsOf(standard: Standard): ReadonlyMap<string, StandardField> {
  let fields = fieldMaps.get(standard);
  if (!fields) fieldMaps.set(standard, (fields = new Map(standard.fields.map((f) => [f.code, f]))));
  return fields;
}

export function applyRules(standard: Standard, input: RecordData, ctx: RuleContext = {}): RuleOutcome {
  return applyRulesInPlace(standard, { ...input }, ctx);
}

/** applyRules deriving its fields into `data` itself, for a caller that owns it (checkData: one copy less per record). */
export function applyRulesInPlace(standard: Standard, data: RecordData, ctx: RuleContext = {}): RuleOutcome {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const fields = fieldsOf(standard);

  // Index loops: the standard's lists are frozen, and V8 iterates a frozen array off its fast path (see checkData).
  const rules = standard.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!holds(rule.when, data)) continue;
    const codes = rule.fields;
    switch (rule.kind) {
      case 'anyOf':
        if (firstFilled(codes, data) < 0) {
          errors.push(finding('ANY_OF_MISSING', codes[0]!, { rule: rule.message, fields: [...codes].map((c) => labelOf(fields, c)).join('、') }));
        }
        break;
      case 'allOf':
        for (let i = 0; i < codes.length; i++) {
          if (!filled(codes[i]!, data)) errors.push(finding('FIELD_REQUIRED_WHEN', codes[i]!, { rule: rule.message, field: labelOf(fields, codes[i]!) }));
        }
        break;
      case 'dateOrder': {
        const broken = firstBackwards(rule, data);
        if (broken) {
          const [from, to] = broken;
          errors.push(finding('DATE_ORDER', from, { rule: rule.message, from: labelOf(fields, from), fromValue: String(data[from]), to: labelOf(fields, to), toValue: String(data[to]) }));
        }
        break;
      }
      case 'notFuture':
        for (let i = 0; i < codes.length; i++) {
          const code = codes[i]!;
          const value = data[code];
          if (ctx.today && typeof value === 'string' && DAY.test(value) && value > ctx.today) {
            errors.push(finding('DATE_IN_FUTURE', code, { rule: rule.message, field: labelOf(fields, code), value, today: ctx.today }));
          }
        }
        break;
      case 'amountUnit':
        for (let i = 0; i < codes.length; i++) amountFindings(fields.get(codes[i]!)!, rule, data[codes[i]!] ?? null, errors, warnings);
        break;
      case 'publicationStatus':
        derivePublicationStatus(rule, data, ctx);
        break;
    }
  }
  return { data, errors, warnings };
}

function labelOf(fields: ReadonlyMap<string, StandardField>, code: string): string {
  return fieldLabel(fields.get(code)!);
}

function filled(code: string, data: RecordData): boolean {
  return !isBlank(data[code] ?? null);
}

/** The index of the first of `codes` filled in, or -1. */
function firstFilled(codes: readonly string[], data: RecordData): number {
  for (let i = 0; i < codes.length; i++) if (filled(codes[i]!, data)) return i;
  return -1;
}

function dated(code: string, data: RecordData): boolean {
  const value = data[code];
  return typeof value === 'string' && DAY.test(value);
}

/** The first pair of filled dates that runs backwards; 2099-12-31 (长期) sorts last by itself. */
function firstBackwards(rule: StandardRule, data: RecordData): [string, string] | null {
  const codes = rule.fields;
  for (let i = 0; i < codes.length; i++) {
    if (!dated(codes[i]!, data)) continue;
    for (let j = i + 1; j < codes.length; j++) {
      if (dated(codes[j]!, data) && (data[codes[i]!] as string) > (data[codes[j]!] as string)) return [codes[i]!, codes[j]!];
    }
  }
  return null;
}

function amountFindings(field: StandardField, rule: StandardRule, value: Value, errors: Finding[], warnings: Finding[]): void {
  if (typeof value !== 'number') return;
  if (value < 0) errors.push(finding('AMOUNT_NEGATIVE', field.code, { field: fieldLabel(field), value }));
  else if (rule.warnAbove !== undefined && value > rule.warnAbove) {
    warnings.push(finding('AMOUNT_SUSPICIOUS', field.code, { field: fieldLabel(field), value, unit: field.unit ?? '', rule: rule.message }));
  }
}

/**
 * An expired publication is a change of status on the same record: a status
 * the department left empty follows the end date and the day of reading,
 * so the record's fingerprint changes once, on the first reading after the
 * end date, and the platform gets an upsert of the same id with a new seq.
 * Only a job that maps the end date gets a status: without the date there
 * is nothing to derive it from.
 */
function derivePublicationStatus(rule: StandardRule, data: RecordData, ctx: RuleContext): void {
  // Indexed, not destructured: destructuring iterates the (frozen) list.
  const dateField = rule.fields[0]!;
  const statusField = rule.fields[1]!;
  if (!ctx.today || !Object.hasOwn(data, dateField) || !isBlank(data[statusField] ?? null)) return;
  const end = data[dateField];
  const ended = typeof end === 'string' && DAY.test(end) && end < ctx.today;
  data[statusField] = ended ? PUBLICATION_STATUS.ended : PUBLICATION_STATUS.publishing;
}
