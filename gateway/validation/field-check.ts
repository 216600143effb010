/**
 * One field's value against its definition in the standard: its type, its
 * length, its code table, its check character. The value comes back in the
 * form it is sent in (dates as YYYY-MM-DD, amounts as numbers, codes as
 * the table's value, identifiers half-width upper-case); every problem is a
 * finding naming the field by code and Chinese name.
 */
import type { Value } from '../../connectors/contract.js';
import { checkCreditCode } from '../identifiers/credit-code.js';
import { checkIdCard } from '../identifiers/id-card.js';
import { toHalfWidth } from '../identifiers/normalise.js';
import { checkOrgCode } from '../identifiers/org-code.js';
import type { IdentifierResult } from '../identifiers/result.js';
import { isBlank } from '../mapping/field-value.js';
import { LONG_TERM_DATE, longTermDate, parseDate } from '../mapping/dates.js';
import { quoteRaw } from '../mapping/quote.js';
import type { Finding, SubjectKind } from '../model.js';
import { allowedValues, lookupCode } from '../standards/code-tables.js';
import type { CodeTable, StandardField } from '../standards/types.js';
import { atField, finding } from './reasons.js';

export interface FieldContext {
  /** The field's code table, for `code` fields. */
  table?: Readonly<CodeTable>;
  /** Who the record is about: a 个体工商户 may use the placeholder credit code. */
  subjectKind?: SubjectKind | null;
  /** 'YYYY-MM-DD' no one is born after, for ID numbers. */
  today?: string;
}

export interface FieldCheck {
  value: Value;
  errors: readonly Finding[];
  warnings: readonly Finding[];
}

/** Most values have nothing to report: one empty list shared by all of them, not two made per value. */
const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** `CF_WSH（行政处罚决定书文号）`: a clerk reads the name, support reads the code. */
export function fieldLabel(field: Pick<StandardField, 'code' | 'name'>): string {
  return `${field.code}（${field.name}）`;
}

/** Several values of a multi-valued code field are separated by `;` (either width). */
export const MULTI_SEPARATOR = ';';

export function checkField(field: StandardField, value: Value, ctx: FieldContext = {}): FieldCheck {
  const found: FieldFindings = { errors: [], warnings: [] };
  const checked = checkFieldInto(field, value, ctx, found);
  return { value: checked, errors: found.errors.length ? found.errors : NO_FINDINGS, warnings: found.warnings.length ? found.warnings : NO_FINDINGS };
}

/** The lists a field's findings are added to: a record's own, as checkData checks its fields. */
export interface FieldFindings {
  errors: Finding[];
  warnings: Finding[];
}

/**
 * checkField for a record's every field in turn: the value to send (null
 * when refused), its findings added to the record's lists, so a field
 * allocates no outcome of its own. A refused value adds its error and none
 * of its warnings.
 */
export function checkFieldInto(field: StandardField, value: Value, ctx: FieldContext, found: FieldFindings): Value {
  if (isBlank(value)) return null;
  switch (field.type) {
    case 'string': return checkString(field, value, ctx, found);
    case 'date': return checkDate(field, value, found);
    case 'decimal': return checkNumber(field, value, false, found);
    case 'integer': return checkNumber(field, value, true, found);
    case 'code': return checkCode(field, value, ctx, found);
  }
}

function refused(found: FieldFindings, error: Finding): null {
  found.errors.push(error);
  return null;
}

function tooLong(field: StandardField, text: string): Finding | null {
  // A text has no more characters than UTF-16 units: most values need no count.
  if (field.maxLength === undefined || text.length <= field.maxLength) return null;
  let length = 0;
  for (const _ of text) length++;
  return length > field.maxLength
    ? finding('FIELD_TOO_LONG', field.code, { field: fieldLabel(field), max: field.maxLength, length })
    : null;
}

function checkString(field: StandardField, value: Value, ctx: FieldContext, found: FieldFindings): Value {
  let text = String(value).trim();
  let warnings: readonly Finding[] = NO_FINDINGS;
  if (field.identifier) {
    const result = checkIdentifier(field.identifier, text, ctx);
    if (!result.ok) return refused(found, atField(result.finding, field.code));
    text = result.value;
    warnings = result.warnings;
  }
  const long = tooLong(field, text);
  if (long) return refused(found, long);
  for (let i = 0; i < warnings.length; i++) found.warnings.push(atField(warnings[i]!, field.code));
  return text;
}

/**
 * Organisation codes are sent as the templates size them, nine characters
 * without the hyphen; credit and ID numbers as their checks normalise them.
 */
function checkIdentifier(kind: NonNullable<StandardField['identifier']>, text: string, ctx: FieldContext): IdentifierResult {
  switch (kind) {
    case 'creditCode': return checkCreditCode(text, { allowIndividualBusinessPlaceholder: ctx.subjectKind === 'individual_business' });
    case 'idCard': return checkIdCard(text, ctx.today === undefined ? {} : { today: ctx.today });
    case 'orgCode': {
      const result = checkOrgCode(text);
      return result.ok ? { ...result, value: result.value.replace('-', '') } : result;
    }
  }
}

/**
 * Sources hand dates over as text or timestamps; anything past 2099-12-31
 * on a field that may say 长期 (9999-12-31 is common) means the same and is
 * sent the templates' way.
 */
function checkDate(field: StandardField, value: Value, found: FieldFindings): Value {
  const word = longTermDate(value);
  const date = word ?? parseDate(value, 'YYYY-MM-DD');
  if (date === null) return refused(found, finding('DATE_INVALID', field.code, { field: fieldLabel(field), raw: quoteRaw(value) }));
  if (field.longTerm && date > LONG_TERM_DATE) {
    found.warnings.push(finding('DATE_LONG_TERM', field.code, { field: fieldLabel(field), raw: quoteRaw(value) }));
    return LONG_TERM_DATE;
  }
  return date;
}

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** Numbers as spreadsheets and clerks write them: full-width digits and 1,234.5 are numbers too. */
function checkNumber(field: StandardField, value: Value, integer: boolean, found: FieldFindings): Value {
  const text = typeof value === 'number' ? String(value) : toHalfWidth(String(value)).trim();
  const plain = GROUPED.test(text) ? text.replaceAll(',', '') : text;
  // Written only for a value that is refused: most are numbers.
  const notNumber = () => finding(integer ? 'FIELD_NOT_INTEGER' : 'FIELD_NOT_DECIMAL', field.code, { field: fieldLabel(field), raw: quoteRaw(value) });
  if (typeof value === 'boolean' || !DECIMAL.test(plain)) return refused(found, notNumber());
  const decimals = decimalPlaces(plain);
  if (integer && decimals > 0) return refused(found, notNumber());
  if (field.scale !== undefined && decimals > field.scale) {
    return refused(found, finding('FIELD_SCALE', field.code, { field: fieldLabel(field), scale: field.scale, value: quoteRaw(value) }));
  }
  return Number(plain);
}

/** Digits after the point but trailing zeros, of a number DECIMAL matched: counted in place, no list of parts made per value. */
function decimalPlaces(plain: string): number {
  const point = plain.indexOf('.');
  if (point < 0) return 0;
  let end = plain.length;
  while (end > point + 1 && plain.charCodeAt(end - 1) === 48) end--;
  return end - point - 1;
}

function checkCode(field: StandardField, value: Value, ctx: FieldContext, found: FieldFindings): Value {
  const table = ctx.table;
  // check.ts guarantees a code field's table exists; a caller that forgot it checks nothing.
  if (!table) return String(value).trim();
  const raw = String(value).trim();
  // A multi-valued field holding one value (as most rows' do) is checked as one: the same outcome, no lists.
  if (!field.multiple || !(raw.includes(';') || raw.includes('；'))) return checkOneCode(field, table, raw, found);
  const items = field.multiple ? raw.split(/[;；]/).map((s) => s.trim()).filter(Boolean) : [raw];
  const values: string[] = [];
  const warnings: Finding[] = [];
  for (const item of items) {
    const match = lookupCode(table, item);
    if (!match.ok) {
      return refused(found, finding('CODE_NOT_IN_TABLE', field.code, { field: fieldLabel(field), value: quoteRaw(item), table: table.name, allowed: allowedValues(table) }));
    }
    if (match.legacy) warnings.push(finding('CODE_LEGACY', field.code, { field: fieldLabel(field), value: item, note: match.legacy }));
    if (!values.includes(match.value)) values.push(match.value);
  }
  const joined = values.join(MULTI_SEPARATOR);
  const long = tooLong(field, joined);
  if (long) return refused(found, long);
  for (let i = 0; i < warnings.length; i++) found.warnings.push(warnings[i]!);
  return joined;
}

/** A field holding one code, as most do: the same checks without a list of items, values and warnings per value. */
function checkOneCode(field: StandardField, table: Readonly<CodeTable>, raw: string, found: FieldFindings): Value {
  const match = lookupCode(table, raw);
  if (!match.ok) {
    return refused(found, finding('CODE_NOT_IN_TABLE', field.code, { field: fieldLabel(field), value: quoteRaw(raw), table: table.name, allowed: allowedValues(table) }));
  }
  const long = tooLong(field, match.value);
  if (long) return refused(found, long);
  if (match.legacy) found.warnings.push(finding('CODE_LEGACY', field.code, { field: fieldLabel(field), value: raw, note: match.legacy }));
  return match.value;
}
