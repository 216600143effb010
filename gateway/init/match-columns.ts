/**
 * Which column of a department's table carries which field of a category's
 * data standard, proposed for `credit-gateway init`. Every match says by
 * which rule it was made, so init prints it and nothing is guessed
 * silently. Rules, strongest first; a column and a field are each matched
 * once, by the strongest rule that connects them:
 *
 * 1. `chinese-name`: the column is named as the field (`行政相对人名称`);
 * 2. `field-code`: the field's code, any case (`cf_xdr_mc`);
 * 3. `standard-alias`: a spelling the standard itself accepts (an older
 *    template's code or header, `统一社会信用代码`);
 * 4. `code-initials`: the code without its standard's prefix, i.e. the
 *    pinyin initials of the field (`xdr_mc`, `tyshxydm` for DJ_TYSHXYDM);
 * 5. `common-name`: a name systems commonly use (common-names.ts: `credit_code`,
 *    `party_name`, `tyshxydm` for CF_XDR_SHXYM);
 * 6. `close-match`: close to one of the above (`tyshxydmm`), to be checked.
 */
import type { ColumnInfo } from '../../connectors/contract.js';
import { closeMatches } from '../catalog/close-matches.js';
import { headerKey, lookupHeader } from '../standards/headers.js';
import type { Standard, StandardField } from '../standards/types.js';
import { CHANGE_TIME_COLUMNS, COMMON_BY_NAME, COMMON_BY_ROLE, ID_COLUMNS } from './common-names.js';

export const MATCH_RULES = ['chinese-name', 'field-code', 'standard-alias', 'code-initials', 'common-name', 'close-match'] as const;
export type MatchRule = (typeof MATCH_RULES)[number];

export interface ColumnMatch {
  field: Readonly<StandardField>;
  column: string;
  rule: MatchRule;
  /** The spelling the column matched, e.g. `统一社会信用代码`, `xdrmc`. */
  via: string;
}

export interface KeyProposal {
  columns: string[];
  /** `primary-key`: the table's own; `id-column`: a column named like an id; `standard-key`: the columns of the standard's identifying fields. */
  rule: 'primary-key' | 'id-column' | 'standard-key';
}

export interface ColumnProposal {
  /** In the standard's field order. */
  matches: ColumnMatch[];
  /** Fields no column matched, in the standard's order. */
  unmatched: Readonly<StandardField>[];
  /** Columns that carry no field, key or change time. */
  unused: string[];
  key: KeyProposal | null;
  /** The change-time column that makes the job incremental; null: read as a snapshot. */
  changeTime: string | null;
}

/** How column names are compared: widths, case, `_`, `-` and spaces do not matter. */
export function columnKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s_\-]+/g, '');
}

/** CF_XDR_MC → xdrmc: the part of a code after its standard's prefix. */
function codeInitials(code: string): string {
  const at = code.indexOf('_');
  return at < 0 ? '' : columnKey(code.slice(at + 1));
}

type Spellings = (field: Readonly<StandardField>) => string[];

/** The spellings each rule compares a column with, as columnKey writes them. */
const SPELLINGS: Record<Exclude<MatchRule, 'close-match' | 'chinese-name'>, Spellings> = {
  'field-code': (f) => [columnKey(f.code)],
  'standard-alias': (f) => (f.aliases ?? []).map(columnKey),
  'code-initials': (f) => [codeInitials(f.code)].filter((s) => s.length >= 2),
  'common-name': (f) => [...(f.subject ? COMMON_BY_ROLE[f.subject] : []), ...(COMMON_BY_NAME[f.name] ?? [])],
};

/** A close match must be about as long as what it is close to: `mc` is in `xdrmc`, but is not it. */
const CLOSE_THRESHOLD = 0.8;
const CLOSE_MIN_LENGTH = 4;

function closeField(column: string, fields: readonly Readonly<StandardField>[]): { field: Readonly<StandardField>; via: string } | null {
  const key = columnKey(column);
  if ([...key].length < CLOSE_MIN_LENGTH) return null;
  const comparable = (s: string) => s.length > 0 && Math.min(s.length, key.length) / Math.max(s.length, key.length) >= 0.75;
  const candidates = fields.map((f) => ({
    item: f,
    names: [headerKey(f.name).toLowerCase(), ...(['field-code', 'standard-alias', 'code-initials', 'common-name'] as const).flatMap((r) => SPELLINGS[r](f))].filter(comparable),
  })).filter((c) => c.names.length > 0);
  const [best] = closeMatches(key, candidates, 1, CLOSE_THRESHOLD);
  if (!best) return null;
  const names = candidates.find((c) => c.item === best)!.names;
  return { field: best, via: names.find((n) => n === key) ?? names[0]! };
}

/** Which of `columns` carries which field of `standard`, the table's key and its change-time column. */
export function proposeColumns(standard: Readonly<Standard>, columns: readonly ColumnInfo[]): ColumnProposal {
  const matched = new Map<string, ColumnMatch>();
  const taken = new Set<string>();
  const take = (field: Readonly<StandardField>, column: string, rule: MatchRule, via: string) => {
    matched.set(field.code, { field, column, rule, via });
    taken.add(column);
  };
  const open = () => standard.fields.filter((f) => !matched.has(f.code));
  const free = () => columns.filter((c) => !taken.has(c.name));

  for (const column of free()) {
    const hit = lookupHeader(standard, column.name);
    if (hit.kind === 'field' && hit.via === 'name' && !matched.has(hit.field.code)) take(hit.field, column.name, 'chinese-name', hit.field.name);
  }
  for (const rule of ['field-code', 'standard-alias', 'code-initials', 'common-name'] as const) {
    for (const column of free()) {
      const key = columnKey(column.name);
      // An alias is an older code or header: spelled as written (`CF_JG`), not run together (`cfjg` is 处罚机关's initials).
      const field = rule === 'standard-alias'
        ? open().find((f) => (f.aliases ?? []).some((a) => headerKey(a) === headerKey(column.name)))
        : open().find((f) => SPELLINGS[rule](f).map(columnKey).includes(key));
      if (field) take(field, column.name, rule, column.name);
    }
  }
  const changeTime = bestChangeTime(free());
  for (const column of free()) {
    if (column.name === changeTime || column.primaryKey || ID_COLUMNS.includes(columnKey(column.name))) continue;
    const close = closeField(column.name, open());
    if (close) take(close.field, column.name, 'close-match', close.via);
  }

  const matches = standard.fields.flatMap((f) => (matched.has(f.code) ? [matched.get(f.code)!] : []));
  const key = proposeKey(standard, columns, matched);
  const used = new Set([...taken, ...(key?.columns ?? []), ...(changeTime ? [changeTime] : [])]);
  return {
    matches,
    unmatched: open(),
    unused: columns.map((c) => c.name).filter((c) => !used.has(c)),
    key,
    changeTime,
  };
}

function bestChangeTime(columns: readonly ColumnInfo[]): string | null {
  let best: { name: string; rank: number } | null = null;
  for (const c of columns) {
    const rank = CHANGE_TIME_COLUMNS.indexOf(columnKey(c.name));
    if (rank >= 0 && (best === null || rank < best.rank)) best = { name: c.name, rank };
  }
  return best?.name ?? null;
}

function proposeKey(standard: Readonly<Standard>, columns: readonly ColumnInfo[], matched: ReadonlyMap<string, ColumnMatch>): KeyProposal | null {
  const primary = columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (primary.length > 0) return { columns: primary, rule: 'primary-key' };
  const id = ID_COLUMNS.map((name) => columns.find((c) => columnKey(c.name) === name)).find((c) => c !== undefined);
  if (id) return { columns: [id.name], rule: 'id-column' };
  const keyColumns = standard.key.map((code) => matched.get(code)?.column);
  if (keyColumns.every((c): c is string => c !== undefined)) return { columns: keyColumns, rule: 'standard-key' };
  return null;
}
