/**
 * One job of a starter configuration, proposed from a table's columns: the
 * column matches (match-columns.ts), plus what a department's records
 * share on every row (the department itself as 处罚机关 and 数据来源单位,
 * the subject kind of the category), the subject, key and cursor. Pure.
 *
 * A job that cannot run as proposed (no key, no subject name or code
 * column) is `complete: false`: written commented out, with the reason, so
 * the configuration still loads while the department finishes it.
 */
import type { ColumnInfo, Row } from '../../connectors/contract.js';
import type { CatalogCategory } from '../catalog/types.js';
import type { SubjectKind } from '../model.js';
import type { Standard, StandardField } from '../standards/types.js';
import { detectDateFormat, type DetectedDateFormat } from './date-formats.js';
import { proposeColumns, type ColumnMatch, type ColumnProposal } from './match-columns.js';

export interface Department {
  /** As the department introduced itself (its current name). */
  name: string;
  /** Its 统一社会信用代码, when given: the value of the fields naming the issuing authority's code. */
  creditCode?: string;
}

/** A field the department's records share on every row. */
export interface ConstantField {
  field: Readonly<StandardField>;
  value: string;
  /** `department`: the department itself; `subject-kind`: the category is about one kind of subject. */
  rule: 'department' | 'subject-kind';
}

export interface JobProposal {
  name: string;
  category: Readonly<CatalogCategory>;
  table: string;
  columns: ColumnProposal;
  constants: ConstantField[];
  /** Date fields whose column the sample showed in another format than YYYY-MM-DD, by field code. */
  dateFormats: Record<string, DetectedDateFormat>;
  subject: { kind: SubjectKind; name: string | null; code: string | null; kindAssumed: boolean };
  mode: 'incremental' | 'snapshot';
  cursor: string[] | null;
  /** Required fields neither a column nor a constant fills. */
  todo: Readonly<StandardField>[];
  /** Why the job cannot run as written, if it cannot (it is then written commented out). */
  incomplete: string[];
}

/** Fields that name the authority that decided, or the unit the data comes from: the department itself. */
const AUTHORITY_NAME = /^(数据来源单位|.*机关)$/;
const AUTHORITY_CODE = /^(数据来源单位|.*机关)统一社会信用代码$/;

export function jobName(category: Readonly<CatalogCategory>): string {
  return `${category.code.toLowerCase()}`;
}

export function proposeJob(input: {
  category: Readonly<CatalogCategory>;
  standard: Readonly<Standard>;
  table: string;
  columns: readonly ColumnInfo[];
  department: Department;
  /** The table's first rows, if read: date formats are judged from them. */
  sample?: readonly Row[];
}): JobProposal {
  const { category, standard, department } = input;
  const columns = proposeColumns(standard, input.columns);
  const byRole = (role: StandardField['subject']) => columns.matches.find((m) => m.field.subject === role);
  const kindAssumed = category.subjectKind === 'both';
  const kind: SubjectKind = category.subjectKind === 'natural' ? 'natural' : 'legal';

  const constants: ConstantField[] = [];
  for (const field of columns.unmatched) {
    if (AUTHORITY_NAME.test(field.name)) constants.push({ field, value: department.name, rule: 'department' });
    else if (AUTHORITY_CODE.test(field.name) && department.creditCode) constants.push({ field, value: department.creditCode, rule: 'department' });
    else if (field.subject === 'kind' && field.codeTable) {
      const value = standard.codeTables[field.codeTable]?.values.find((v) => v.subjectKind === kind)?.value;
      if (value) constants.push({ field, value, rule: 'subject-kind' });
    }
  }
  const constant = new Set(constants.map((c) => c.field.code));
  const todo = columns.unmatched.filter((f) => f.required && !constant.has(f.code));

  const name = byRole('name')?.column ?? null;
  const code = (kind === 'natural' ? byRole('naturalCode') : byRole('legalCode'))?.column ?? byRole(kind === 'natural' ? 'legalCode' : 'naturalCode')?.column ?? null;
  const key = columns.key?.columns ?? null;
  const incomplete = [
    ...(key ? [] : ['no primary key, id column or the standard\'s identifying fields: set key to the columns that identify a row']),
    ...(name ? [] : ['no column for the subject\'s name: set subject.name']),
    ...(code ? [] : ['no column for the subject\'s code (统一社会信用代码 or 证件号码): set subject.code']),
  ];
  const dateFormats: Record<string, DetectedDateFormat> = {};
  for (const m of columns.matches) {
    const detected = m.field.type === 'date' ? detectDateFormat(input.sample ?? [], m.column) : null;
    if (detected) dateFormats[m.field.code] = detected;
  }
  const cursor = columns.changeTime && key ? [columns.changeTime, ...key.filter((k) => k !== columns.changeTime)] : null;
  return {
    name: jobName(category),
    category,
    table: input.table,
    columns,
    constants,
    dateFormats,
    subject: { kind, name, code, kindAssumed },
    mode: cursor ? 'incremental' : 'snapshot',
    cursor,
    todo,
    incomplete,
  };
}

const RULE_WORDS: Record<ColumnMatch['rule'], string> = {
  'chinese-name': 'Chinese field name',
  'field-code': 'field code',
  'standard-alias': "the standard's alias",
  'code-initials': 'code initials',
  'common-name': 'common column name',
  'close-match': 'CLOSE MATCH, check it',
};

/** What init prints for a job: every match with its rule, every constant, every gap. */
export function describeProposal(p: JobProposal): string[] {
  const lines = [`${p.category.code} ${p.category.name} ← table ${p.table} (job ${p.name}, ${p.mode}${p.cursor ? `, cursor [${p.cursor.join(', ')}]` : ''})`];
  for (const m of p.columns.matches) {
    const date = p.dateFormats[m.field.code];
    const format = date ? `; dates written ${date.format}, judged from ${date.sampled} sampled rows` : '';
    lines.push(`  ${m.field.code} ${m.field.name} ← ${m.column}  (${RULE_WORDS[m.rule]}${m.via !== m.column ? `: ${m.via}` : ''}${format})`);
  }
  for (const c of p.constants) lines.push(`  ${c.field.code} ${c.field.name} = ${c.value}  (${c.rule === 'department' ? 'the department itself' : `every record is about a ${p.subject.kind === 'natural' ? 'natural' : 'legal'} person${p.subject.kindAssumed ? ': ASSUMED, the category may hold natural persons too' : ''}`})`);
  if (p.columns.key) lines.push(`  key [${p.columns.key.columns.join(', ')}]  (${p.columns.key.rule})`);
  for (const f of p.todo) lines.push(`  TODO ${f.code} ${f.name}: required, no column matched`);
  if (p.columns.unused.length > 0) lines.push(`  columns not used: ${p.columns.unused.join(', ')}`);
  for (const reason of p.incomplete) lines.push(`  NOT RUNNABLE: ${reason} (the job is written commented out)`);
  return lines;
}
