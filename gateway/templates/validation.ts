/**
 * The data validation a field's column gets. XLSX allows one per cell, so
 * each field gets the check that catches its likeliest mistake: a value
 * outside the code table, a date typed another way, a text too long, a
 * word in a number column. Required-ness cannot be checked by Excel for
 * rows not yet written; the header colour and the notes carry it.
 */
import { allowedValues } from '../standards/code-tables.js';
import type { CodeTable, StandardField } from '../standards/types.js';
import { fit, LONG_TERM_DATE, TEMPLATE_DATE_FORMAT } from './field-text.js';
import type { ValidationSpec } from './spec.js';

// Excel's own limits on validation texts.
const TITLE_MAX = 32;
const PROMPT_MAX = 255;
const ERROR_MAX = 225;

// Far beyond any amount a credit record carries; the bound only makes the cell refuse words.
const NUMBER_BOUND = 1e12;

function spec(
  field: StandardField,
  check: Pick<ValidationSpec, 'type' | 'operator' | 'formulae' | 'errorStyle'>,
  prompt: string,
  error: string,
): ValidationSpec {
  return {
    ...check,
    allowBlank: true,
    errorTitle: fit(field.name, TITLE_MAX),
    error: fit(error, ERROR_MAX),
    promptTitle: fit(field.name, TITLE_MAX),
    prompt: fit(prompt, PROMPT_MAX),
  };
}

function codeValidation(field: StandardField, table: CodeTable, formula: string): ValidationSpec {
  // A multi-valued field (`警告;罚款`) or a table that accepts `其他-…` holds
  // values no list can offer, so Excel only warns and lets the clerk keep them.
  const open = field.multiple === true || table.otherPrefix !== undefined;
  const prompt = [
    `可选值：${allowedValues(table)}`,
    field.multiple ? '多个值用英文分号“;”隔开' : '',
    table.otherPrefix ? `其他类别请写“${table.otherPrefix}-具体类别”` : '',
  ].filter(Boolean).join('。');
  return spec(field, { type: 'list', formulae: [formula], errorStyle: open ? 'warning' : 'stop' }, prompt,
    open ? `不在可选值中，请核对；确需填写请点“是”。${prompt}` : `请从下拉列表中选择。${prompt}`);
}

function dateValidation(field: StandardField): ValidationSpec {
  const example = field.longTerm ? `，长期填 ${LONG_TERM_DATE}` : '';
  // Excel cannot check a text date's shape; its length catches 2024/3/5 and 20240305.
  // Only a warning: a job's mapping may read another spelling (`date: YYYYMMDD`) on purpose.
  return spec(field, { type: 'textLength', operator: 'equal', formulae: [TEMPLATE_DATE_FORMAT.length], errorStyle: 'warning' },
    `日期写成 ${TEMPLATE_DATE_FORMAT}，如 2024-03-05${example}`,
    `日期应写成 ${TEMPLATE_DATE_FORMAT}（如 2024-03-05）${example}`);
}

function numberValidation(field: StandardField): ValidationSpec {
  const whole = field.type === 'integer';
  const unit = field.unit ? `，单位：${field.unit}` : '';
  const scale = field.scale !== undefined ? `，最多 ${field.scale} 位小数` : '';
  // A field with a unit is an amount or a count: never negative.
  const check: Pick<ValidationSpec, 'type' | 'operator' | 'formulae' | 'errorStyle'> = field.unit
    ? { type: whole ? 'whole' : 'decimal', operator: 'greaterThanOrEqual', formulae: [0], errorStyle: 'stop' }
    : { type: whole ? 'whole' : 'decimal', operator: 'between', formulae: [-NUMBER_BOUND, NUMBER_BOUND], errorStyle: 'stop' };
  const what = whole ? '整数' : '数值';
  return spec(field, check, `填写${what}${unit}${scale}，不要带单位文字`, `请填写${field.unit ? '不小于 0 的' : ''}${what}${unit}`);
}

function lengthValidation(field: StandardField, maxLength: number): ValidationSpec {
  return spec(field, { type: 'textLength', operator: 'lessThanOrEqual', formulae: [maxLength], errorStyle: 'stop' },
    `最多 ${maxLength} 个字`, `超过 ${maxLength} 个字，请精简`);
}

/** The column's validation, or none for a free text without a length limit. */
export function validationFor(field: StandardField, table: CodeTable | undefined, listFormula: string | undefined): ValidationSpec | undefined {
  if (field.type === 'code' && table && listFormula) return codeValidation(field, table, listFormula);
  if (field.type === 'date') return dateValidation(field);
  if (field.type === 'decimal' || field.type === 'integer') return numberValidation(field);
  if (field.maxLength !== undefined) return lengthValidation(field, field.maxLength);
  return undefined;
}
