/**
 * Data standards as the gateway ships them in seeds/standards: for each
 * information type the fields the platform expects, their types and code
 * tables, and the rules that tie fields together. Pure data, no behaviour.
 */
import type { InfoType } from '../catalog/types.js';
import type { SubjectKind } from '../model.js';

export const FIELD_TYPES = ['string', 'date', 'decimal', 'integer', 'code'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Identifiers with a check character, checked by gateway/identifiers. */
export const IDENTIFIER_KINDS = ['creditCode', 'orgCode', 'idCard'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/**
 * Which part of the record's subject a field repeats. Files carry the
 * subject only as fields, so a file reader finds name, kind and code here.
 * `legalCode` is the 统一社会信用代码 of organisations and 个体工商户,
 * `naturalCode` the certificate number of a natural person.
 */
export const SUBJECT_ROLES = ['name', 'kind', 'legalCode', 'naturalCode'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

export interface StandardField {
  /** The code the platform receives, e.g. `CF_WSH`. */
  code: string;
  /** Chinese name, exactly as a template header shows it. */
  name: string;
  type: FieldType;
  /** Characters (not bytes) for strings and code values. */
  maxLength?: number;
  required: boolean;
  /** Code table code (seeds/standards/code-tables.json), for `code` fields. */
  codeTable?: string;
  /** A `code` field may hold several values separated by `;` (sent joined by `;`). */
  multiple?: boolean;
  /** How the value is written when sent, e.g. 'YYYY-MM-DD' for dates. */
  format?: string;
  /** Decimal places a `decimal` may have. */
  scale?: number;
  /** Unit of an amount, e.g. '万元'. */
  unit?: string;
  identifier?: IdentifierKind;
  /** A date that may be 2099-12-31, meaning 长期 (no end). */
  longTerm?: boolean;
  subject?: SubjectRole;
  /** Chinese, for template notes: what to fill in and how. */
  description: string;
  /**
   * Older template codes and Chinese header variants accepted as input and
   * normalised to `code`. Never sent.
   */
  aliases?: string[];
}

/** A condition on another field's (normalised) value. */
export interface RuleCondition {
  field: string;
  /** The rule applies when the field holds one of these values (any of them, for a multi-valued field). */
  in?: string[];
  /** The rule applies when the field is filled in. */
  filled?: boolean;
}

export const RULE_KINDS = ['anyOf', 'allOf', 'dateOrder', 'notFuture', 'amountUnit', 'publicationStatus'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/**
 * The values a `publicationStatus` rule derives. The status field's code
 * table must hold both (check.ts makes sure).
 */
export const PUBLICATION_STATUS = { publishing: '公示中', ended: '公示期满' } as const;

/**
 * A rule across fields:
 * - `anyOf`: at least one of `fields` is filled in;
 * - `allOf`: every one of `fields` is filled in (with `when`, a conditional requirement);
 * - `dateOrder`: the dates in `fields` do not run backwards (2099-12-31, 长期, is the latest of all);
 * - `notFuture`: none of the dates in `fields` is after the day the record was read;
 * - `amountUnit`: amounts in `fields` are in the field's `unit`, not negative, within its `scale`,
 *   and above `warnAbove` only with a warning (a clerk typing 元 into a 万元 field);
 * - `publicationStatus`: `fields` = [公示截止期, 公示状态]; a status left empty is derived
 *   from whether the end of publication has passed on the day the record was read.
 */
export interface StandardRule {
  kind: RuleKind;
  fields: string[];
  when?: RuleCondition;
  /** For `amountUnit`: amounts above this (in the field's unit) travel with a warning. */
  warnAbove?: number;
  /** Chinese: the rule as a clerk reads it, in template notes and in findings. */
  message: string;
}

/**
 * A field of an older template that the current one dropped with no
 * successor. Accepted as input so old files and jobs keep working, never
 * sent; the record carries a warning saying why.
 */
export interface RetiredField {
  code: string;
  name: string;
  /** Chinese: why it is gone and what to do instead. */
  note: string;
  aliases?: string[];
}

/** A standard as its seed file holds it. */
export interface StandardFile {
  /** The information type of the catalog this standard serves. */
  infoType: InfoType;
  /** File name without `.json`, e.g. `xzcf`. */
  code: string;
  name: string;
  version: string;
  /** Which national document or template it follows, and where it does not. */
  source: string;
  /**
   * The identifying fields: what makes two rows the same record, so a record
   * read from a file has a stable key whatever file or row it came from
   * (for 行政处罚, the decision number and the party's code). Each is
   * required, or repeats the subject's code (`legalCode`, `naturalCode`);
   * where a standard has both, that key field stands for the subject's code
   * of either kind.
   */
  key: string[];
  fields: StandardField[];
  rules: StandardRule[];
  retired?: RetiredField[];
}

export interface CodeValue {
  /** What is sent. */
  value: string;
  /** Chinese meaning, when `value` is itself a code (e.g. `1` → 有效). */
  label?: string;
  /** Other spellings accepted as input and sent as `value`. */
  aliases?: string[];
  /** For 行政相对人类别: the subject kind this value stands for. */
  subjectKind?: SubjectKind;
  /**
   * A spelling of a superseded rule that maps to no single current value
   * (e.g. 2017 行政处罚法 categories): accepted and sent as written, with
   * this Chinese note as a warning.
   */
  legacy?: string;
}

export interface CodeTable {
  code: string;
  name: string;
  source: string;
  values: CodeValue[];
  /**
   * Values starting with this text are accepted as written: the national
   * templates let `其他` carry the specific kind (`其他-责令改正`).
   */
  otherPrefix?: string;
}

export interface CodeTablesFile {
  tables: CodeTable[];
}

/** A loaded standard: its file, plus the code tables its fields refer to, so it can be checked against on its own. */
export interface Standard extends StandardFile {
  readonly codeTables: Readonly<Record<string, Readonly<CodeTable>>>;
}

/** The loaded standards: frozen data plus lookups. */
export interface Standards {
  readonly list: readonly Readonly<Standard>[];
  readonly codeTables: Readonly<Record<string, Readonly<CodeTable>>>;
  /** The standard of an information type; every type has one. */
  byInfoType(infoType: InfoType): Readonly<Standard>;
  /** The standard with this code (`xzcf`), if any. */
  byCode(code: string): Readonly<Standard> | undefined;
  /** The standard a catalog category follows, by its information type. */
  standardFor(category: { infoType: InfoType }): Readonly<Standard>;
}
