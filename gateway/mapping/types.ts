/**
 * What a job's mapping says, structurally the same as the job section of the
 * configuration schema, so mapping depends on no configuration code.
 */
import type { SubjectKind } from '../model.js';
import type { CodeTable } from '../standards/types.js';

/**
 * `YYYY.MM.DD`: 2017.6.2, as several national systems export. `any`: every
 * unambiguous shape at once (for exports that mix them): 2017-06-02,
 * 2017/6/2, 2017.6.2, 2017年6月2日, 20170602, a spreadsheet day number, an ISO
 * timestamp.
 */
export type DateFormat = 'YYYY-MM-DD' | 'YYYYMMDD' | 'YYYY/MM/DD' | 'YYYY.MM.DD' | 'excel' | 'zh' | 'any';

/**
 * Where one field's value comes from, first match wins: `const`, `firstOf`
 * (the first column that is neither null nor blank), `concat` (the non-blank
 * columns joined), `column`. Then, on text: `halfWidth`, `trim` (on unless
 * `false`; blank text becomes null, because a spreadsheet cannot say NULL),
 * `upper`, `codes` and `date` (the value must read as a date in that format
 * and becomes 'YYYY-MM-DD'; 长期, 永久 and the like become 2099-12-31, the
 * templates' way of writing "no end").
 *
 * `codes` translates the department's codes: either inline, source value →
 * value to send (`{ '1': '罚款', '2': '警告' }`), or the name of a standard
 * code table (`'cflb'`), whose values and their other spellings are accepted.
 * A value the table does not know is a finding listing the allowed ones.
 */
export interface FieldRule {
  column?: string;
  const?: string | number | null;
  date?: DateFormat;
  trim?: boolean;
  upper?: boolean;
  halfWidth?: boolean;
  required?: boolean;
  firstOf?: string[];
  concat?: { columns: string[]; separator?: string };
  codes?: string | Record<string, string>;
}

export type SubjectKindRule = SubjectKind | { column: string; values: Record<string, SubjectKind> };

export interface JobMapping {
  /** Job name, for messages. */
  name: string;
  /** Catalog code, e.g. 'P07-002'. */
  category: string;
  /** Source columns forming the record key, e.g. ['id']. */
  key: string[];
  subject: {
    kind: SubjectKindRule;
    /** Column holding the subject's name. */
    name: string;
    /**
     * Column holding the 统一社会信用代码 or 居民身份证号码; or columns tried in
     * order, the first not blank in the row winning, where legal and natural
     * persons share a table (统一社会信用代码 beside 身份证号).
     */
    code: string | readonly string[];
  };
  /** Field code of the category's data standard → column name or rule. */
  fields: Record<string, string | FieldRule>;
  /** Rows whose column holds one of these values are withdrawn (e.g. after credit repair) and sent as delete. */
  deleted?: { column: string; values: (string | number)[] };
}

/** The columns a subject's code is read from, in order. */
export function subjectCodeColumns(code: JobMapping['subject']['code']): readonly string[] {
  return typeof code === 'string' ? [code] : code;
}

export interface MapContext {
  gatewayId: string;
  /** When the row was read, ISO-8601 UTC. */
  observedAt: string;
  /** The standard code tables `codes: '<name>'` refers to (loadStandards().codeTables). */
  codeTables?: Readonly<Record<string, Readonly<CodeTable>>>;
}
