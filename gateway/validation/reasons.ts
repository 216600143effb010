/**
 * Every reason a row can be refused or warned about, with the message a
 * clerk reads. One table, so the status page, the docs and the tests all see
 * the same codes; `{name}` marks a value filled in per finding.
 *
 * Messages never quote a whole identity number (invariant 5): they name the
 * part that is wrong instead, and a value quoted from a cell (`{raw}`,
 * `{value}` …) is masked as it is filled in, so an identity number typed
 * into the wrong column is shown masked wherever the reason goes.
 */
import { maskQuoted } from '../identifiers/mask.js';
import type { Finding } from '../model.js';

export const REASONS = {
  // --- 统一社会信用代码 (GB 32100-2015) ---
  CREDIT_CODE_EMPTY: '统一社会信用代码为空',
  CREDIT_CODE_LENGTH: '统一社会信用代码应为 18 位，实际为 {length} 位',
  CREDIT_CODE_CHARSET: '统一社会信用代码第 {position} 位“{char}”不是允许的字符（只用数字和除 I、O、Z、S、V 以外的大写字母）',
  CREDIT_CODE_PLACEHOLDER: '统一社会信用代码“{code}”是全零占位代码，不能作为主体代码',
  CREDIT_CODE_PLACEHOLDER_INDIVIDUAL_ONLY: '占位代码 00000000000000000X 只能用于没有统一社会信用代码的个体工商户',
  CREDIT_CODE_CHECK: '统一社会信用代码校验位错误：应为 {expected}',
  CREDIT_CODE_DEPARTMENT: '统一社会信用代码第 1 位登记管理部门代码“{char}”不存在',
  CREDIT_CODE_REGION: '统一社会信用代码第 3-8 位登记管理机关行政区划码“{region}”无效',
  CREDIT_CODE_CATEGORY: '统一社会信用代码第 2 位机构类别代码“{char}”不在登记管理部门“{department}”的类别表中',
  CREDIT_CODE_EMBEDDED_ORG_CODE: '统一社会信用代码第 9-17 位（组织机构代码）校验位不符：应为 {expected}',

  // --- 组织机构代码 (GB 11714-1997) ---
  ORG_CODE_EMPTY: '组织机构代码为空',
  ORG_CODE_FORMAT: '组织机构代码应为 9 位（可写作 12345678-9），实际为“{code}”',
  ORG_CODE_CHARSET: '组织机构代码第 {position} 位“{char}”不是允许的字符（本体代码用数字或大写字母，校验码用数字或 X）',
  ORG_CODE_PLACEHOLDER: '组织机构代码 00000000-0 是全零占位代码，不能作为主体代码',
  ORG_CODE_CHECK: '组织机构代码校验码错误：应为 {expected}',

  // --- 居民身份证号码 (GB 11643-1999) ---
  ID_EMPTY: '居民身份证号码为空',
  ID_LENGTH: '居民身份证号码应为 18 位（或旧 15 位），实际为 {length} 位',
  ID_CHARSET: '居民身份证号码只能由数字组成，18 位号码的末位可以是 X',
  ID_AREA: '居民身份证号码前 6 位地址码“{area}”无效',
  ID_BIRTH_DATE: '居民身份证号码出生日期无效：{date}',
  ID_BIRTH_TOO_EARLY: '居民身份证号码出生日期早于 1900 年：{date}',
  ID_BIRTH_FUTURE: '居民身份证号码出生日期晚于今天：{date}',
  ID_CHECK_DIGIT: '居民身份证号码校验位错误：应为 {expected}',
  ID_CONVERTED_FROM_15: '15 位居民身份证号码已按 GB 11643-1999 升为 18 位',

  // --- mapping a source row ---
  KEY_MISSING: '记录主键列 {column} 为空',
  COLUMN_MISSING: '数据中没有列 {column}（{field} 需要它）',
  VALUE_BINARY: '列 {column} 是二进制数据（{detail}），不能作为 {field} 的值发送：请在作业查询中去掉该列或在 SQL 中转换为文本',
  VALUE_UNREADABLE: '列 {column} 的值无法读取（{detail}：类型不受支持或值无效），{field} 无法取值：请在作业查询中转换该列，或修正源库中这一行的值',
  FIELD_RULE_EMPTY: '字段 {field} 的映射规则没有指定数据来源（column、const、firstOf 或 concat）',
  FIELD_REQUIRED: '必填字段 {field} 为空',
  DATE_INVALID: '字段 {field} 的日期无法识别：{raw}',
  SUBJECT_KIND_UNKNOWN: '主体类型列 {column} 的值“{value}”不在作业配置的对照表中',
  CODE_UNMAPPED: '字段 {field} 的值“{value}”不在作业配置的代码对照表中，允许的值：{allowed}',
  CODE_TABLE_UNKNOWN: '字段 {field} 引用的代码表“{table}”不存在',
  CODE_NOT_IN_TABLE: '{field} 的值“{value}”不在代码表“{table}”中，应为：{allowed}',

  // --- validating a record ---
  SUBJECT_MISSING: '记录缺少主体信息',
  SUBJECT_NAME_MISSING: '主体名称为空',

  // --- checking a record against its data standard ---
  FIELD_UNKNOWN: '字段 {field} 不在数据标准“{standard}”中',
  FIELD_RETIRED: '字段 {field}（{name}）是旧版模板的字段，已不再发送：{note}',
  FIELD_DUPLICATE: '字段 {field} 和 {other} 是同一个字段（{name}），只能填写一个',
  FIELD_TOO_LONG: '{field} 最长 {max} 个字，实际 {length} 个字',
  FIELD_NOT_DECIMAL: '{field} 应为数字，实际为“{raw}”',
  FIELD_NOT_INTEGER: '{field} 应为整数，实际为“{raw}”',
  FIELD_SCALE: '{field} 最多 {scale} 位小数，实际为 {value}',
  CODE_LEGACY: '{field} 的值“{value}”是旧写法，已照原样发送：{note}',
  DATE_LONG_TERM: '{field} 的“{raw}”按长期处理，以 2099-12-31 发送',
  SUBJECT_KIND_MISMATCH: '{field} 为“{value}”，与记录的主体类型（{kind}）不一致',
  ANY_OF_MISSING: '{rule}：{fields} 都没有填写',
  FIELD_REQUIRED_WHEN: '{rule}：{field} 为空',
  DATE_ORDER: '{rule}：{from} 为 {fromValue}，{to} 为 {toValue}',
  DATE_IN_FUTURE: '{rule}：{field} 为 {value}，晚于读取当天 {today}',
  AMOUNT_NEGATIVE: '{field} 不能为负数：{value}',
  AMOUNT_SUSPICIOUS: '{field} 为 {value} {unit}，数额异常大，请确认单位是{unit}：{rule}',
} as const;

export type ReasonCode = keyof typeof REASONS;

/** The `{name}` placeholders of a template, as a union of names. */
type Placeholders<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

export type ReasonParams<C extends ReasonCode> = Record<Placeholders<(typeof REASONS)[C]>, string | number>;

/**
 * A finding for `code`, its message filled from the catalogue. The compiler
 * demands exactly the template's placeholders, so no message ships with a
 * `{hole}` in it.
 */
export function finding<C extends ReasonCode>(
  code: C,
  field: string,
  ...params: [Placeholders<(typeof REASONS)[C]>] extends [never] ? [] : [ReasonParams<C>]
): Finding {
  const values = (params[0] ?? {}) as Record<string, string | number>;
  const message = REASONS[code].replace(/\{(\w+)\}/g, (hole, name: string) =>
    name in values ? maskQuoted(String(values[name])) : hole,
  );
  return { field, code, message };
}

/** The same finding, now naming the field it was found in. */
export function atField(f: Finding, field: string): Finding {
  return { ...f, field };
}
