/**
 * A profile of the configuration made ready to read: its name patterns and
 * header signature as matchers, its sheet selection, and its fields as a
 * JobMapping whose columns are the export's own headers, mapped and
 * validated with the category's standard like every job. Pure; the
 * configuration check (checks.ts) has passed the profile first.
 *
 * Two defaults differ from a job's, because an export is not a query: the
 * key, left out, is the columns mapped to the standard's key fields (the
 * subject's code standing for a key field it repeats); and a date field
 * given as a bare column reads every unambiguous date shape (`date: any`),
 * since exports mix serials, 2017.6.2 and 2017年6月2日.
 */
import type { Row } from '../../connectors/contract.js';
import type { SheetInfo } from '../../connectors/files/workbook.js';
import type { ProfileConfig } from '../../config/schema.js';
import type { MapResult } from '../mapping/map-row.js';
import { subjectCodeColumns, type FieldRule, type JobMapping, type MapContext } from '../mapping/types.js';
import { isBlank } from '../mapping/field-value.js';
import type { Provenance } from '../model.js';
import { withProvenance } from '../records/serialize.js';
import type { Standard, StandardField } from '../standards/types.js';
import { mapAndValidate } from '../validation/map-and-validate.js';
import { normaliseFieldCodes } from '../validation/field-codes.js';
import { globMatcher } from './glob.js';

export interface CompiledProfile {
  name: string;
  /** The title, or the name: what the status page shows. */
  label: string;
  category: string;
  provenance: Provenance;
  /** Folder sources it applies to; undefined: every one, and uploads. */
  sources: readonly string[] | undefined;
  /** Whether the profile has name patterns, and whether a file name fits them. */
  hasNamePattern: boolean;
  matchesName(file: string): boolean;
  /** Headers (as written) every sheet it reads must hold; empty when it matches by name only. */
  signature: readonly string[];
  /** Whether a sheet is one to read, by its name and visibility (its header is asked separately). */
  wantsSheet(info: SheetInfo): boolean;
  header: { row?: number; rows: 1 | 2 };
  /** Columns are export headers (or `上/下` names). */
  mapping: JobMapping;
  /** Every column the mapping reads. */
  columns: readonly string[];
  /** The key's columns. */
  keyColumns: readonly string[];
  /** Columns a row cannot do without: key, subject and every column of a required field. */
  requiredColumns: readonly string[];
  /** The columns behind a finding's field (a field code, or a role: key, subject.name …), for the report. */
  columnsOf(field: string): readonly string[];
  /** Maps and validates one row keyed by column references; a record carries the provenance. */
  mapRow(row: Row, ctx: MapContext): MapResult;
}

export function ruleColumns(rule: string | FieldRule): string[] {
  if (typeof rule === 'string') return [rule];
  if (rule.const !== undefined) return [];
  return [...(rule.firstOf ?? []), ...(rule.concat?.columns ?? []), ...(rule.column !== undefined ? [rule.column] : [])];
}

/**
 * Where the key reads the subject's code when the code comes from several
 * columns (legal and natural persons in one export): filled in each row with
 * the first of them not blank, so a row keyed by either is keyed by its own.
 */
export const SUBJECT_CODE_COLUMN = '#subject.code';

/** A key field's column, as the profile maps it; the subject's code or name where the field repeats it. */
function keyColumnOf(field: Readonly<StandardField>, fields: Record<string, string | FieldRule>, subject: ProfileConfig['subject']): string | undefined {
  const isCode = field.subject === 'legalCode' || field.subject === 'naturalCode';
  // Of a mixed export's two code columns one is blank in every row: the key takes whichever the row has.
  if (isCode && typeof subject.code !== 'string') return SUBJECT_CODE_COLUMN;
  const rule = fields[field.code];
  if (rule !== undefined) {
    const columns = ruleColumns(rule);
    if (columns.length === 1) return columns[0];
  }
  if (isCode) return subject.code as string;
  if (field.subject === 'name') return subject.name;
  return undefined;
}

/** The key's columns: the profile's own, else those of the standard's key fields; undefined when one of those is not mapped. */
export function profileKey(profile: Pick<ProfileConfig, 'key' | 'fields' | 'subject'>, standard: Readonly<Standard>): string[] | undefined {
  if (profile.key) return [...profile.key];
  const fields = normaliseFieldCodes(profile.fields, standard).values;
  const columns: string[] = [];
  for (const code of standard.key) {
    const field = standard.fields.find((f) => f.code === code);
    const column = field && keyColumnOf(field, fields, profile.subject);
    if (column === undefined) return undefined;
    if (!columns.includes(column)) columns.push(column);
  }
  return columns;
}

export function provenanceOf(profile: Pick<ProfileConfig, 'name' | 'origin' | 'system'>): Provenance {
  return { kind: profile.origin ?? 'system', ...(profile.system !== undefined ? { system: profile.system } : {}), profile: profile.name };
}

/**
 * `codeTables`: every standard code table, as database jobs get them, so a
 * profile may name any table the configuration check accepts, not only its
 * own standard's.
 */
export function compileProfile(profile: ProfileConfig, standard: Readonly<Standard>, codeTables?: MapContext['codeTables']): CompiledProfile {
  const key = profileKey(profile, standard);
  if (!key) throw new Error(`profile ${profile.name}: the key cannot be told from the fields (set key)`);
  const current = normaliseFieldCodes(profile.fields, standard).values;
  const fields: Record<string, string | FieldRule> = {};
  for (const [code, rule] of Object.entries(current)) {
    const isDate = standard.fields.find((f) => f.code === code)?.type === 'date';
    fields[code] = isDate && (typeof rule === 'string' || (rule.date === undefined && rule.const === undefined)) ? { ...(typeof rule === 'string' ? { column: rule } : rule), date: 'any' } : rule;
  }
  const mapping: JobMapping = {
    name: `profile:${profile.name}`,
    category: profile.category,
    key,
    subject: profile.subject,
    fields,
    ...(profile.deleted ? { deleted: profile.deleted } : {}),
  };
  const kindColumns = typeof profile.subject.kind === 'string' ? [] : [profile.subject.kind.column];
  const codeColumns = subjectCodeColumns(profile.subject.code);
  // The key as the export has it: the synthetic subject-code column stands for the columns it is read from.
  const keyColumns = [...new Set(key.flatMap((c) => (c === SUBJECT_CODE_COLUMN ? codeColumns : [c])))];
  const mixedKey = key.includes(SUBJECT_CODE_COLUMN);
  const roles: Record<string, readonly string[]> = {
    key: keyColumns,
    'subject.name': [profile.subject.name],
    'subject.code': codeColumns,
    'subject.kind': kindColumns,
    ...(profile.deleted ? { deleted: [profile.deleted.column] } : {}),
  };
  const required = new Set<string>([...keyColumns, profile.subject.name, ...codeColumns, ...kindColumns]);
  for (const [code, rule] of Object.entries(fields)) {
    const field = standard.fields.find((f) => f.code === code);
    if (field?.required || (typeof rule !== 'string' && rule.required)) for (const c of ruleColumns(rule)) required.add(c);
  }
  const columns = new Set<string>([...required, ...(profile.deleted ? [profile.deleted.column] : [])]);
  for (const rule of Object.values(fields)) for (const c of ruleColumns(rule)) columns.add(c);
  const provenance = provenanceOf(profile);
  const include = profile.sheets?.include ? globMatcher(profile.sheets.include) : () => true;
  const exclude = globMatcher(profile.sheets?.exclude);
  const readHidden = profile.sheets?.hidden ?? false;
  const names = globMatcher(profile.match.name);
  return {
    name: profile.name,
    label: profile.title ?? profile.name,
    category: profile.category,
    provenance,
    sources: profile.sources,
    hasNamePattern: (profile.match.name?.length ?? 0) > 0,
    matchesName: names,
    signature: profile.match.headers ?? [],
    // A CSV's one sheet has no name: only visibility can rule it out.
    wantsSheet: (info) => (readHidden || !info.hidden) && (info.name === '' || (include(info.name) && !exclude(info.name))),
    header: { ...(profile.header?.row !== undefined ? { row: profile.header.row } : {}), rows: profile.header?.rows ?? 1 },
    mapping,
    columns: [...columns],
    keyColumns,
    requiredColumns: [...required],
    columnsOf: (field) => roles[field] ?? (Object.hasOwn(fields, field) ? ruleColumns(fields[field]!) : []),
    mapRow: (row, ctx) => {
      const keyed = mixedKey ? { ...row, [SUBJECT_CODE_COLUMN]: codeColumns.map((c) => row[c]).find((v) => !isBlank(v)) ?? null } : row;
      const outcome = mapAndValidate(mapping, keyed, codeTables && !ctx.codeTables ? { ...ctx, codeTables } : ctx, { standard });
      return outcome.ok ? { ok: true, record: withProvenance(outcome.record, provenance) } : outcome;
    },
  };
}
