/**
 * One field of a record, read from a row by its rule. Every problem is
 * returned as a finding naming the field, never thrown, so a row reports all
 * of them at once.
 */
import { unreadableValue, type Row, type UnreadableValue, type Value } from '../../connectors/contract.js';
import type { Finding } from '../model.js';
import { toHalfWidth } from '../identifiers/normalise.js';
import type { CodeTable } from '../standards/types.js';
import { finding } from '../validation/reasons.js';
import { translateCode } from './codes.js';
import { longTermDate, parseDate } from './dates.js';
import { quoteRaw } from './quote.js';
import type { FieldRule } from './types.js';

export interface FieldOutcome {
  /** The value to send; null when absent or when a finding made it unusable. */
  value: Value;
  findings: Finding[];
}

export function isBlank(value: Value | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'string') return false;
  // Asked of every value several times a row: a text whose first character is printable ASCII or a
  // CJK character (none of them white space to String.prototype.trim) is not blank, without a trim.
  const first = value.charCodeAt(0);
  if ((first > 0x20 && first < 0x7f) || (first > 0x3000 && first < 0xfeff)) return false;
  return value.trim() === '';
}

/** The source's reason for an unreadable value → the reason a clerk reads. */
const UNREADABLE_REASONS = { SOURCE_BINARY_COLUMN: 'VALUE_BINARY', SOURCE_VALUE_UNREADABLE: 'VALUE_UNREADABLE' } as const;

export function unreadableFinding(unreadable: UnreadableValue, field: string): Finding {
  return finding(UNREADABLE_REASONS[unreadable.code], field, { column: unreadable.column, field, detail: unreadable.detail });
}

export function fieldValue(
  field: string,
  ruleOrColumn: string | FieldRule,
  row: Row,
  codeTables?: Readonly<Record<string, Readonly<CodeTable>>>,
): FieldOutcome {
  const findings: Finding[] = [];
  const value = readField(field, typeof ruleOrColumn === 'string' ? { column: ruleOrColumn } : ruleOrColumn, row, codeTables, findings);
  return { value, findings };
}

/**
 * fieldValue for a row's every field in turn: the findings go to the row's
 * list, so a clean field allocates no list and no outcome of its own.
 */
export function readField(
  field: string,
  rule: FieldRule,
  row: Row,
  codeTables: Readonly<Record<string, Readonly<CodeTable>>> | undefined,
  findings: Finding[],
): Value {
  const before = findings.length;
  let value: Value;
  if (rule.const !== undefined) value = rule.const;
  else if (rule.firstOf) value = readColumns(rule.firstOf, row, field, findings).find((v) => !isBlank(v)) ?? null;
  else if (rule.concat) {
    const parts = readColumns(rule.concat.columns, row, field, findings).filter((v) => !isBlank(v));
    value = parts.length ? parts.map((v) => (rule.trim === false ? String(v) : String(v).trim())).join(rule.concat.separator ?? '') : null;
  } else if (rule.column !== undefined) {
    value = columnValue(row, rule.column, field, findings);
    if (findings.length > before) return null;
  } else {
    findings.push(finding('FIELD_RULE_EMPTY', field, { field }));
    return null;
  }
  if (findings.length > before) return null;

  value = tidyText(value, rule);
  if (rule.codes !== undefined) {
    const translated = translateCode(field, rule.codes, value, codeTables);
    if ('finding' in translated) {
      findings.push(translated.finding);
      return null;
    }
    value = translated.value;
  }
  if (rule.date && value !== null) {
    const date = longTermDate(value) ?? parseDate(value, rule.date);
    if (date === null) {
      findings.push(finding('DATE_INVALID', field, { field, raw: quoteRaw(value) }));
      return null;
    }
    value = date;
  }
  if (rule.required && isBlank(value)) findings.push(finding('FIELD_REQUIRED', field, { field }));
  return value;
}

/**
 * A column's value, or null with a finding added to the row's when the row
 * has no such column at all: a query or file that lacks a mapped column is a
 * configuration mistake the technical contact must see, not a stream of
 * silent nulls. No outcome is made per column of every row.
 */
export function columnValue(row: Row, column: string, field: string, findings: Finding[]): Value {
  if (!Object.hasOwn(row, column)) {
    findings.push(finding('COLUMN_MISSING', field, { column, field }));
    return null;
  }
  // A value the source could not read rejects the row only here, where the job uses its column.
  const unreadable = unreadableValue(row, column);
  if (unreadable) {
    findings.push(unreadableFinding(unreadable, field));
    return null;
  }
  return row[column] ?? null;
}

/** Every column's value (null where there is none, with its finding). */
function readColumns(columns: readonly string[], row: Row, field: string, findings: Finding[]): Value[] {
  return columns.map((column) => columnValue(row, column, field, findings));
}

function tidyText(value: Value, rule: FieldRule): Value {
  if (typeof value !== 'string') return value;
  let text = value;
  if (rule.halfWidth) text = toHalfWidth(text);
  if (rule.trim !== false) {
    text = text.trim();
    if (text === '') return null;
  }
  if (rule.upper) text = text.toUpperCase();
  return text;
}
