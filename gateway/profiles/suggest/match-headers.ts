/**
 * Which header of an export names which field of a category's standard.
 * Exact first (the field's Chinese name, its code, an alias the standard
 * lists: `lookupHeader`), then near: a column name systems commonly use
 * (init's common-names.ts) or a close spelling (`身份证件号码` for
 * `身份证号码`). Near matches are proposed for a person to check, never
 * silently. Each field and each column is matched once, the strongest rule
 * first. Pure.
 */
import type { Value } from '../../../connectors/contract.js';
import { headerKey, lookupHeader } from '../../standards/headers.js';
import type { Standard, StandardField, SubjectRole } from '../../standards/types.js';
import { COMMON_BY_NAME, COMMON_BY_ROLE, ID_COLUMNS } from '../../init/common-names.js';
import { columnKey } from '../../init/match-columns.js';
import { parseDate } from '../../mapping/dates.js';
import type { ShapedColumn } from '../shape.js';

/** The spellings a column may name a field by: its name, then, under a group, its own text and the two run together. */
function spellingsOf(column: ShapedColumn): string[] {
  return column.upper !== null && column.name !== column.lower ? [column.name, column.lower, `${column.upper}${column.lower}`] : [column.name];
}

export type MatchRule = 'name' | 'code' | 'alias' | 'common-name' | 'close-match';

/** Strongest first. */
const RANK: Record<MatchRule, number> = { name: 0, code: 1, alias: 2, 'common-name': 3, 'close-match': 4 };

export interface HeaderMatch {
  column: ShapedColumn;
  field: Readonly<StandardField>;
  rule: MatchRule;
  /** The spelling of the field the header matched (a name, alias or common name). */
  via: string;
}

export interface HeaderMapping {
  /** In column order. */
  matches: HeaderMatch[];
  /** Columns that name no field (hidden ones included). */
  unused: ShapedColumn[];
  /** Exact matches count 2, near ones 1: how well the header fits the standard. */
  score: number;
}

export function isExact(rule: MatchRule): boolean {
  return rule === 'name' || rule === 'code' || rule === 'alias';
}

/** Dice over characters, counting repeats. */
function dice(a: string, b: string): number {
  const pool = [...b];
  let shared = 0;
  for (const ch of a) {
    const at = pool.indexOf(ch);
    if (at >= 0) {
      shared++;
      pool.splice(at, 1);
    }
  }
  return (2 * shared) / ([...a].length + [...b].length);
}

const CLOSE_THRESHOLD = 0.8;

/**
 * How close two header keys are, 0…1. One containing the other counts only
 * when the shorter is a real name (4 characters or more) and most of the
 * longer: `证件号码` is `身份证件号码`, `名称` is not `行政相对人名称`.
 */
export function closeness(a: string, b: string): number {
  const [short, long] = [...a].length <= [...b].length ? [a, b] : [b, a];
  const s = [...short].length;
  if (s < 3) return 0;
  if (long.includes(short) && s >= 4 && s / [...long].length >= 0.6) return 0.9;
  return dice(a, b);
}

const closeNameCache = new WeakMap<Readonly<StandardField>, string[]>();

/** The field's spellings as header keys, for close matching: its name (and the name without its bracketed part), aliases. */
function closeNames(field: Readonly<StandardField>): string[] {
  const cached = closeNameCache.get(field);
  if (cached) return cached;
  const names = [field.name, field.name.replace(/[（(][^）)]*[）)]/g, ''), ...(field.aliases ?? []).filter((a) => !/^[A-Z0-9_]+$/.test(a))];
  const keys = [...new Set(names.map(headerKey).filter((n) => n.length > 0))];
  closeNameCache.set(field, keys);
  return keys;
}

/**
 * Headers national and provincial systems give the subject's columns in
 * their exports, besides those database columns have (init's list).
 */
const EXPORT_BY_ROLE: Readonly<Partial<Record<SubjectRole, readonly string[]>>> = {
  name: ['姓名', '当事人姓名', '人员姓名', '持证人', '持证人姓名', '单位名称', '企业名称', '当事人名称', '经营者名称', '申请人', '申请人名称'],
  naturalCode: ['身份证件号码', '公民身份号码', '身份证号', '证件号', '证件号码', '居民身份证号码'],
  legalCode: ['统一社会信用代码', '社会信用代码', '信用代码'],
  kind: ['主体类型', '相对人类别', '当事人类别', '当事人类型'],
};

function commonNames(field: Readonly<StandardField>): readonly string[] {
  return [...(field.subject ? [...COMMON_BY_ROLE[field.subject], ...(EXPORT_BY_ROLE[field.subject] ?? [])] : []), ...(COMMON_BY_NAME[field.name] ?? [])];
}

/** Most of a column's sample values read as dates (a date field is not matched to a column of names by spelling alone). */
function looksLikeDates(values: readonly Value[]): boolean {
  const filled = values.filter((v) => v !== null && String(v).trim() !== '');
  if (filled.length === 0) return true;
  const dates = filled.filter((v) => ['YYYY-MM-DD', 'YYYY/MM/DD', 'YYYYMMDD', 'zh', 'excel'].some((f) => parseDate(v, f as 'excel') !== null) || /^\d{4}\.\d{1,2}\.\d{1,2}$/.test(String(v).trim()));
  return dates.length / filled.length >= 0.8;
}

interface Candidate { column: ShapedColumn; field: Readonly<StandardField>; rule: MatchRule; via: string; score: number }

function candidatesFor(standard: Readonly<Standard>, column: ShapedColumn, valuesOf?: (column: number) => readonly Value[]): Candidate[] {
  const out: Candidate[] = [];
  for (const spelling of spellingsOf(column)) {
    const hit = lookupHeader(standard, spelling);
    if (hit.kind === 'field') out.push({ column, field: hit.field, rule: hit.via, via: spelling, score: 1 });
  }
  if (out.length > 0) return out;
  const keys = spellingsOf(column).map(columnKey);
  if (keys.some((k) => ID_COLUMNS.includes(k))) return out;
  for (const field of standard.fields) {
    const common = commonNames(field).find((c) => keys.includes(columnKey(c)));
    if (common) {
      out.push({ column, field, rule: 'common-name', via: common, score: 1 });
      continue;
    }
    let best = { score: 0, via: '' };
    for (const spelling of spellingsOf(column)) {
      for (const name of closeNames(field)) {
        const score = closeness(headerKey(spelling), name);
        if (score > best.score) best = { score, via: name };
      }
    }
    if (best.score >= CLOSE_THRESHOLD) out.push({ column, field, rule: 'close-match', via: field.name, score: best.score });
  }
  if (valuesOf) {
    const dates = looksLikeDates(valuesOf(column.index));
    return out.filter((c) => c.rule !== 'close-match' || (c.field.type === 'date') === dates);
  }
  return out;
}

/** The fields `columns` name in `standard`; hidden columns are listed as unused, never matched. */
export function matchHeaders(standard: Readonly<Standard>, columns: readonly ShapedColumn[], valuesOf?: (column: number) => readonly Value[]): HeaderMapping {
  const candidates = columns.filter((c) => !c.hidden).flatMap((c) => candidatesFor(standard, c, valuesOf));
  candidates.sort((a, b) => RANK[a.rule] - RANK[b.rule] || b.score - a.score || a.column.index - b.column.index);
  const byField = new Set<string>();
  const byColumn = new Set<number>();
  const matches: HeaderMatch[] = [];
  for (const c of candidates) {
    if (byField.has(c.field.code) || byColumn.has(c.column.index)) continue;
    byField.add(c.field.code);
    byColumn.add(c.column.index);
    matches.push({ column: c.column, field: c.field, rule: c.rule, via: c.via });
  }
  matches.sort((a, b) => a.column.index - b.column.index);
  return {
    matches,
    unused: columns.filter((c) => !byColumn.has(c.index)),
    score: matches.reduce((sum, m) => sum + (isExact(m.rule) ? 2 : 1), 0),
  };
}
