/**
 * A profile proposed from a sample export: per visible sheet the header and
 * the category, sheets of one category and one header shape grouped into
 * one profile, and for each profile the field mapping, the key, the
 * subject, the date formats seen and the signature that will recognise next
 * month's export. Everything uncertain is said (approximate matches,
 * required fields without a column, a key field missing), so the YAML can
 * carry it as comments. Pure.
 */
import type { Value } from '../../../connectors/contract.js';
import type { CatalogCategory } from '../../catalog/types.js';
import { GatewayError } from '../../errors.js';
import { isIdNumber } from '../../identifiers/mask.js';
import type { SubjectKind } from '../../model.js';
import { lookupCode } from '../../standards/code-tables.js';
import type { Standard, SubjectRole } from '../../standards/types.js';
import { chooseCategory } from './choose-category.js';
import { datesSeen, type DatesSeen, type ProfileDateFormat } from './date-shapes.js';
import { dataRows, refineHeader, type FoundHeader } from './find-header.js';
import { isExact, type HeaderMatch, type MatchRule } from './match-headers.js';
import { namePattern, profileName } from './name-pattern.js';
import { cellText, type ShapedColumn } from '../shape.js';
import type { Sample, SampleSheet } from './sample.js';

/** A field rule as a profile writes it (the mapping language's, with the contract's date formats). */
export interface ProposedRule {
  column?: string;
  const?: string;
  codes?: Record<string, string>;
  date?: ProfileDateFormat;
  halfWidth?: boolean;
}

export type ProposedKind = SubjectKind | { column: string; values: Record<string, SubjectKind> };

/** The profile as section 2 of the contract writes it, ready for `profiles:`. */
export interface ProposedProfile {
  name: string;
  title?: string;
  origin: 'system';
  system: string;
  match: { name?: string[]; headers: string[] };
  sheets?: { include: string[] };
  header?: { rows: 2 };
  category: string;
  /** Left out where the subject's code comes from two columns: the gateway then keys each row by the code it has. */
  key?: string[];
  /** The code: one column, or the credit-code column and the ID-number column of an export holding both kinds of subject. */
  subject: { kind: ProposedKind; name: string; code: string | string[] };
  fields: Record<string, string | ProposedRule>;
}

/** What the proposal is unsure of or left out, for comments and --json. */
export interface ProposalNotes {
  /** Field code → the match, for fields matched by a common name or a close spelling. */
  approximate: Record<string, { header: string; rule: MatchRule; via: string }>;
  /** Field code → the shapes its dates were seen in. */
  dates: Record<string, DatesSeen>;
  /** Field code → why it is a constant. */
  constants: Record<string, string>;
  /** Required fields of the standard with no column and no constant. */
  missingRequired: { code: string; name: string }[];
  /** Identifying fields of the standard with no column: the key is incomplete without them. */
  missingKey: { code: string; name: string }[];
  /** Headers that name no field (not hidden). */
  unused: string[];
  /** Hidden columns, left out. */
  hidden: string[];
  /** Other categories of the same standard the export may be. */
  alternatives: { code: string; name: string }[];
  subject?: string;
}

export interface Proposal {
  profile: ProposedProfile;
  category: Readonly<CatalogCategory>;
  standard: Readonly<Standard>;
  /** The sheets it covers, each with its header as found. */
  sheets: { sheet: SampleSheet; header: FoundHeader }[];
  notes: ProposalNotes;
}

export interface SheetVerdict {
  sheet: string;
  hidden: boolean;
  /** The profile that reads it, or why none does. */
  profile?: string;
  skipped?: 'hidden' | 'no-header' | 'not-asked';
}

export interface Suggestion {
  proposals: Proposal[];
  sheets: SheetVerdict[];
}

export interface SuggestInput {
  sample: Sample;
  /** The categories the export may be (one, with --category; the department's; or every one). */
  candidates: readonly Readonly<CatalogCategory>[];
  standardFor: (category: Readonly<CatalogCategory>) => Readonly<Standard>;
  /** Only this sheet (--sheet). */
  sheet?: string;
  /** Names of profiles the configuration already has. */
  taken?: readonly string[];
  /** The department, from the configuration: it is the 数据来源单位 of what it hands over. */
  department?: string;
}

/** Placeholder the clerk replaces, as the contract writes it. */
export const FILL_IN = '<fill in>';

/** Fields that name the unit the data comes from: the department handing the file over. */
const SOURCE_UNIT = /^数据来源单位$/;

/** Headers too common to tell one export from another. */
const GENERIC_HEADERS = new Set(['序号', '备注', '名称', '姓名', '状态', '类别', '类型', '日期', '编号']);

export function suggestProfiles(input: SuggestInput): Suggestion {
  const { sample } = input;
  if (input.sheet !== undefined && !sample.sheets.some((s) => s.info.name === input.sheet)) {
    throw new GatewayError('SUGGEST_SHEET_UNKNOWN', `"${input.sheet}"; the sheets are: ${sample.sheets.map((s) => `"${s.info.name}"`).join(', ')}`);
  }
  const verdicts: SheetVerdict[] = [];
  const groups = new Map<string, { choice: NonNullable<ReturnType<typeof chooseCategory>>; sheets: { sheet: SampleSheet; header: FoundHeader }[] }>();
  for (const sheet of sample.sheets) {
    const verdict: SheetVerdict = { sheet: sheet.info.name, hidden: sheet.info.hidden };
    verdicts.push(verdict);
    if (input.sheet !== undefined && sheet.info.name !== input.sheet) { verdict.skipped = 'not-asked'; continue; }
    if (input.sheet === undefined && sheet.info.hidden) { verdict.skipped = 'hidden'; continue; }
    const choice = chooseCategory(sheet, input.candidates, input.standardFor, sample.fileName);
    if (!choice) { verdict.skipped = 'no-header'; continue; }
    const header = refineHeader(sheet, choice.header, choice.standard);
    const shape = `${choice.category.code}\u0000${header.columns.map((c) => c.name).join('\u0001')}`;
    const group = groups.get(shape) ?? { choice, sheets: [] };
    group.sheets.push({ sheet, header });
    groups.set(shape, group);
  }
  if (groups.size === 0) {
    const looked = verdicts.filter((v) => v.skipped === 'no-header').map((v) => v.sheet || '(CSV)');
    throw new GatewayError('SUGGEST_NO_CATEGORY', `${sample.fileName}: sheets looked at: ${looked.join(', ') || 'none visible'}`);
  }
  const taken = [...(input.taken ?? [])];
  const proposals: Proposal[] = [];
  const several = groups.size > 1 || (input.sheet !== undefined && sample.sheets.filter((s) => !s.info.hidden).length > 1);
  for (const { choice, sheets } of groups.values()) {
    const proposal = proposeOne(input, choice.category, choice.standard, sheets, choice.alternatives, taken, several);
    taken.push(proposal.profile.name);
    proposals.push(proposal);
    for (const { sheet } of sheets) verdicts.find((v) => v.sheet === sheet.info.name)!.profile = proposal.profile.name;
  }
  return { proposals, sheets: verdicts };
}

/** A column's values in every sheet of the group, found by the column's name in each sheet's header. */
function valuesOf(sheets: Proposal['sheets'], standard: Readonly<Standard>, name: string): Value[] {
  return sheets.flatMap(({ sheet, header }) => {
    const column = header.columns.find((c) => c.name === name)?.index;
    return column === undefined ? [] : dataRows(sheet, header, standard).map((r) => r.cells[column] ?? null);
  });
}

/**
 * What stands for a column the export lacks: a column name no export has,
 * so the configuration check passes and the drop folder refuses the sheet
 * (FILE_COLUMN_MISSING, naming the field) until a clerk writes the header
 * or a const. A made-up value would be sent; a missing name would be sent
 * nowhere and say why.
 */
export function fillInColumn(fieldName: string): string {
  return `<fill in: ${fieldName}>`;
}

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

function proposeOne(
  input: SuggestInput,
  category: Readonly<CatalogCategory>,
  standard: Readonly<Standard>,
  sheets: Proposal['sheets'],
  alternatives: readonly Readonly<CatalogCategory>[],
  taken: readonly string[],
  several: boolean,
): Proposal {
  const [first] = sheets;
  const { header } = first!;
  const matches = header.mapping.matches;
  const columnOf = new Map<string, HeaderMatch>(matches.map((m) => [m.field.code, m]));
  const byRole = (role: SubjectRole) => matches.find((m) => m.field.subject === role);
  const notes: ProposalNotes = {
    approximate: {}, dates: {}, constants: {}, missingRequired: [], missingKey: [],
    unused: header.mapping.unused.filter((c) => !c.hidden).map((c) => c.name),
    hidden: header.columns.filter((c) => c.hidden).map((c) => c.name),
    alternatives: alternatives.map((c) => ({ code: c.code, name: c.name })),
  };

  const fields: Record<string, string | ProposedRule> = {};
  for (const m of matches) {
    const name = m.column.name;
    const values = valuesOf(sheets, standard, name);
    if (!isExact(m.rule)) notes.approximate[m.field.code] = { header: name, rule: m.rule, via: m.via };
    if (m.field.type === 'date') {
      const seen = datesSeen(values);
      notes.dates[m.field.code] = seen;
      fields[m.field.code] = { column: name, date: seen.format };
    } else if ((m.field.identifier || m.field.subject === 'legalCode' || m.field.subject === 'naturalCode') && values.some((v) => typeof v === 'string' && FULL_WIDTH.test(v))) {
      fields[m.field.code] = { column: name, halfWidth: true };
    } else {
      fields[m.field.code] = name;
    }
  }

  const subject = proposeSubject(category, standard, (name) => valuesOf(sheets, standard, name), byRole, notes);
  const kindField = standard.fields.find((f) => f.subject === 'kind');
  if (kindField && !columnOf.has(kindField.code) && typeof subject.kind === 'string' && kindField.codeTable) {
    const value = standard.codeTables[kindField.codeTable]?.values.find((v) => v.subjectKind === subject.kind)?.value;
    if (value) {
      fields[kindField.code] = { const: value };
      notes.constants[kindField.code] = `导出中没有这一列，按主体类别填写“${value}”`;
    }
  }
  const idType = standard.fields.find((f) => f.codeTable === 'zjlx' && f.code.endsWith('_ZJLX') && standard.fields.some((g) => g.subject === 'naturalCode' && g.code === f.code.replace(/ZJLX$/, 'ZJHM')));
  const idColumn = byRole('naturalCode')?.column.name;
  const allIdNumbers = (column: string) => {
    const filled = valuesOf(sheets, standard, column).map(cellText).filter((v) => v !== '');
    return filled.length > 0 && filled.filter(isIdNumber).length / filled.length >= 0.8;
  };
  if (idType && fields[idType.code] === undefined && subject.kind === 'natural' && typeof subject.code === 'string' && subject.code !== FILL_IN) {
    if (allIdNumbers(subject.code)) {
      fields[idType.code] = { const: '身份证' };
      notes.constants[idType.code] = `导出中没有这一列，“${subject.code}”列是居民身份证号码`;
    }
  } else if (idType && fields[idType.code] === undefined && typeof subject.kind !== 'string' && Array.isArray(subject.code) && idColumn && allIdNumbers(idColumn)) {
    // A mixed export: 证件类型 belongs to the natural persons' rows only, so it follows the kind column, blank for the others.
    const kinds = Object.entries(subject.kind.values);
    fields[idType.code] = { column: subject.kind.column, codes: Object.fromEntries(kinds.map(([value, kind]) => [value, kind === 'natural' ? '身份证' : ''])) };
    notes.constants[idType.code] = `导出中没有这一列，“${idColumn}”列是居民身份证号码：${subject.kind.column}为自然人的行填“身份证”，其他行不填`;
  }
  for (const field of standard.fields) {
    if (fields[field.code] !== undefined || !field.required) continue;
    if (SOURCE_UNIT.test(field.name) && input.department) {
      fields[field.code] = { const: input.department };
      notes.constants[field.code] = '导出中没有这一列，填报部门即数据来源单位';
    } else {
      fields[field.code] = fillInColumn(field.name);
      notes.missingRequired.push({ code: field.code, name: field.name });
    }
  }

  const key: string[] = [];
  for (const code of standard.key) {
    const field = standard.fields.find((f) => f.code === code)!;
    // A key field repeating the subject's code stands for the code of either kind (see standards/types.ts);
    // of two code columns, the one the row fills (profiles/compile.ts), named here by the first for the signature.
    const subjectCode = typeof subject.code === 'string' ? subject.code : subject.code[0]!;
    const column = field.subject === 'legalCode' || field.subject === 'naturalCode' ? (subjectCode !== FILL_IN ? subjectCode : undefined) : columnOf.get(code)?.column.name;
    if (column !== undefined) {
      key.push(column);
      continue;
    }
    notes.missingKey.push({ code, name: field.name });
    const stand = field.subject === 'legalCode' || field.subject === 'naturalCode' ? (subject.code as string) : typeof fields[code] === 'string' ? (fields[code] as string) : fillInColumn(field.name);
    fields[code] ??= stand;
    if (!key.includes(stand)) key.push(stand);
  }

  const pattern = namePattern(input.sample.fileName);
  const title = titleOf(first!.sheet, header);
  const profile: ProposedProfile = {
    name: profileName(input.sample.fileName, category.code, taken),
    ...(title ? { title } : {}),
    origin: 'system',
    system: FILL_IN,
    match: { ...(pattern ? { name: [pattern] } : {}), headers: signature(header.columns, matches, key) },
    ...(several ? { sheets: { include: sheets.map((s) => s.sheet.info.name) } } : {}),
    ...(header.rows === 2 ? { header: { rows: 2 as const } } : {}),
    category: category.code,
    // Of two code columns one is blank in every row: a key naming either would be missing for half the rows.
    ...(Array.isArray(subject.code) ? {} : { key }),
    subject,
    fields,
  };
  return { profile, category, standard, sheets, notes };
}

function proposeSubject(
  category: Readonly<CatalogCategory>,
  standard: Readonly<Standard>,
  valuesOf: (column: string) => Value[],
  byRole: (role: SubjectRole) => HeaderMatch | undefined,
  notes: ProposalNotes,
): ProposedProfile['subject'] {
  const legal = byRole('legalCode')?.column.name;
  const natural = byRole('naturalCode')?.column.name;
  const name = byRole('name')?.column.name ?? FILL_IN;
  const kindMatch = byRole('kind');
  let kind: ProposedKind;
  if (kindMatch?.field.codeTable) {
    const table = standard.codeTables[kindMatch.field.codeTable]!;
    const values: Record<string, SubjectKind> = {};
    for (const v of table.values) if (v.subjectKind) values[v.value] = v.subjectKind;
    for (const raw of new Set(valuesOf(kindMatch.column.name).map(cellText))) {
      const hit = raw === '' ? null : lookupCode(table, raw);
      if (hit?.ok && hit.entry?.subjectKind) values[raw] = hit.entry.subjectKind;
    }
    kind = { column: kindMatch.column.name, values };
  } else if (category.subjectKind !== 'both') {
    kind = category.subjectKind;
  } else {
    // Neither the category nor a column says: judge by which code column is filled.
    const filled = (column: string | undefined) => (column ? valuesOf(column).filter((v) => cellText(v) !== '').length : 0);
    kind = filled(natural) > filled(legal) ? 'natural' : 'legal';
    notes.subject = `主体类别按${kind === 'natural' ? '证件号码' : '统一社会信用代码'}列推断，请核对`;
  }
  const natur = typeof kind === 'string' && kind === 'natural';
  if (legal && natural && typeof kind !== 'string') {
    // Both kinds of subject, each with its own code column: the row's code is whichever of the two it fills.
    notes.subject = `法人和个体工商户的代码在“${legal}”列，自然人的证件号码在“${natural}”列：每行取其中填写了的一列，标识也随之（key 不写）`;
    return { kind, name, code: [legal, natural] };
  }
  const code = (natur ? natural ?? legal : legal ?? natural) ?? FILL_IN;
  const other = natur ? legal : natural;
  if (category.subjectKind === 'both' && other && valuesOf(other).some((v) => cellText(v) !== '')) {
    // Without a kind column every row is of one kind: two code columns cannot tell the rows apart.
    notes.subject = `${notes.subject}；“${other}”列也有填写：导出中两种主体都有，却没有主体类别列，${natur ? '法人' : '自然人'}的行会被拒收；请让导出带上主体类别列后重新生成`;
  }
  return { kind, name, code };
}

/** 3 to 5 headers that tell this export from others: the key's, then exact matches, then the longest names; single-row names only. */
function signature(columns: readonly ShapedColumn[], matches: readonly HeaderMatch[], key: readonly string[]): string[] {
  const plain = (name: string) => !name.includes('/') && !GENERIC_HEADERS.has(name);
  const longest = (a: string, b: string) => [...b].length - [...a].length;
  const mapped = matches.filter((m) => plain(m.column.name));
  const ranked = [...new Set([
    ...key.filter(plain),
    ...mapped.filter((m) => isExact(m.rule)).map((m) => m.column.name).sort(longest),
    ...mapped.map((m) => m.column.name).sort(longest),
  ])];
  if (ranked.length >= 3) return ranked.slice(0, 5);
  // Too few mapped names: other visible single-row headers help recognise the file too.
  const others = columns.filter((c) => !c.hidden && plain(c.name) && !ranked.includes(c.name)).map((c) => c.name);
  return [...ranked, ...others].slice(0, 3);
}

/** The export's title: the first row above the header with one filled cell (导出时间 and units left out). */
function titleOf(sheet: SampleSheet, header: FoundHeader): string | undefined {
  for (const row of sheet.rows) {
    if (row.rowNumber >= header.row) break;
    const filled = row.cells.map(cellText).filter((t) => t !== '');
    if (filled.length === 1 && !/^(导出|打印|制表|单位|填报|统计|数据截止)/.test(filled[0]!) && [...filled[0]!].length <= 60) return filled[0];
  }
  return undefined;
}

