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
  const data: RecordData = { ...input };
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const fields = fieldsOf(standard);
  const label = (code: string): string => fieldLabel(fields.get(code)!);
  const filled = (code: string): boolean => !isBlank(data[code] ?? null);

  for (const rule of standard.rules) {
    if (!holds(rule.when, data)) continue;
    switch (rule.kind) {
      case 'anyOf':
        if (!rule.fields.some(filled)) {
          errors.push(finding('ANY_OF_MISSING', rule.fields[0]!, { rule: rule.message, fields: rule.fields.map(label).join('、') }));
        }
        break;
      case 'allOf':
        for (const code of rule.fields.filter((c) => !filled(c))) {
          errors.push(finding('FIELD_REQUIRED_WHEN', code, { rule: rule.message, field: label(code) }));
        }
        break;
      case 'dateOrder': {
        const broken = firstBackwards(rule, data);
        if (broken) {
          const [from, to] = broken;
          errors.push(finding('DATE_ORDER', from, { rule: rule.message, from: label(from), fromValue: String(data[from]), to: label(to), toValue: String(data[to]) }));
        }
        break;
      }
      case 'notFuture':
        for (const code of rule.fields) {
          const value = data[code];
          if (ctx.today && typeof value === 'string' && DAY.test(value) && value > ctx.today) {
            errors.push(finding('DATE_IN_FUTURE', code, { rule: rule.message, field: label(code), value, today: ctx.today }));
          }
        }
        break;
      case 'amountUnit':
        for (const code of rule.fields) amountFindings(fields.get(code)!, rule, data[code] ?? null, errors, warnings);
        break;
      case 'publicationStatus':
        derivePublicationStatus(rule, data, ctx);
        break;
    }
  }
  return { data, errors, warnings };
}

/** The first pair of filled dates that runs backwards; 2099-12-31 (长期) sorts last by itself. */
function firstBackwards(rule: StandardRule, data: RecordData): [string, string] | null {
  const dated = rule.fields.filter((c) => typeof data[c] === 'string' && DAY.test(data[c] as string));
  for (let i = 0; i < dated.length; i++) {
    for (let j = i + 1; j < dated.length; j++) {
      if ((data[dated[i]!] as string) > (data[dated[j]!] as string)) return [dated[i]!, dated[j]!];
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
  const [dateField, statusField] = rule.fields as [string, string];
  if (!ctx.today || !Object.hasOwn(data, dateField) || !isBlank(data[statusField] ?? null)) return;
  const end = data[dateField];
  const ended = typeof end === 'string' && DAY.test(end) && end < ctx.today;
  data[statusField] = ended ? PUBLICATION_STATUS.ended : PUBLICATION_STATUS.publishing;
}
