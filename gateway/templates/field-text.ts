/**
 * How a standard's field is described to the clerk who fills in a template:
 * its type and format, whether it is required, how wide its column is.
 * Pure text, shared by the header notes and the notes sheet.
 */
import type { StandardField, StandardRule } from '../standards/types.js';

const IDENTIFIER_TEXT: Record<NonNullable<StandardField['identifier']>, string> = {
  creditCode: '18 位统一社会信用代码',
  orgCode: '9 位组织机构代码',
  idCard: '18 位居民身份证号码',
};

/** The date format a template asks for: what the standard sends, so nothing is converted on the way. */
export const TEMPLATE_DATE_FORMAT = 'YYYY-MM-DD';
export const LONG_TERM_DATE = '2099-12-31';

/** `类型/格式` as the notes show it, e.g. `日期 YYYY-MM-DD（长期填 2099-12-31）`. */
export function typeText(field: StandardField): string {
  switch (field.type) {
    case 'date':
      return `日期 ${TEMPLATE_DATE_FORMAT}${field.longTerm ? `（长期填 ${LONG_TERM_DATE}）` : ''}`;
    case 'decimal': {
      const parts = [field.scale !== undefined ? `最多 ${field.scale} 位小数` : '', field.unit ? `单位：${field.unit}` : ''].filter(Boolean);
      return parts.length ? `数值（${parts.join('，')}）` : '数值';
    }
    case 'integer':
      return field.unit ? `整数（单位：${field.unit}）` : '整数';
    case 'code':
      return field.multiple ? '代码（可多选，用英文分号“;”隔开）' : '代码（从可选值中选）';
    case 'string':
      return field.identifier ? `文本（${IDENTIFIER_TEXT[field.identifier]}）` : '文本';
  }
}

/**
 * Fields a cross-field rule may require (`anyOf`, or `allOf` under a
 * condition), with the rule's 1-based number in the notes' rule list.
 */
export function conditionalRules(rules: readonly StandardRule[]): Map<string, number[]> {
  const byField = new Map<string, number[]>();
  rules.forEach((rule, i) => {
    if (rule.kind !== 'anyOf' && rule.kind !== 'allOf') return;
    for (const code of rule.fields) byField.set(code, [...(byField.get(code) ?? []), i + 1]);
  });
  return byField;
}

/** `是`, `否`, or `条件必填（见规则 2）` for a field only some rows must fill in. */
export function requiredText(field: StandardField, conditional: ReadonlyMap<string, number[]>): string {
  if (field.required) return '是';
  const rules = conditional.get(field.code);
  return rules?.length ? `条件必填（见规则 ${rules.join('、')}）` : '否';
}

/** Width in Excel's character units: a Chinese character takes about two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/.test(ch) ? 2 : 1;
  return width;
}

/**
 * Wide enough for a typical value and for the header on at most two lines
 * (the header row wraps), never so wide that one column fills the screen.
 */
export function columnWidth(field: StandardField): number {
  const value = field.type === 'date' || field.type === 'decimal' || field.type === 'integer' ? 12
    : field.identifier ? 22
      : Math.min(field.maxLength ?? 20, 30);
  const header = displayWidth(field.name) + 2;
  return Math.max(10, value, header > 24 ? Math.ceil(header / 2) + 2 : header);
}

/** Excel refuses longer validation titles and messages; cut with an ellipsis rather than fail. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
