/**
 * What the drop folder needs to know of a catalog category to read its
 * files. The composition root builds one per category from the catalog and
 * the category's data standard (resolveHeader is the standard's
 * fieldByHeader; mapRow maps and validates like any job); the drop folder
 * itself reads neither.
 *
 * A file's columns are renamed to field codes first, so every field code
 * below, and every row mapRow sees, speaks the standard's codes.
 *
 * The key rule: a record's key is the category's identifying fields as the
 * data standard names them (for 行政许可 and 行政处罚, the decision
 * document number and the party's code: one decision may concern several
 * parties), never a row number or anything about the file. The same row in
 * any file, dropped any number of times, therefore has the same record id
 * and, unchanged, the same fingerprint, which is how "the same file dropped
 * twice sends nothing new" holds; and a corrected row dropped later
 * replaces the version sent before.
 */
import type { Row } from '../../connectors/contract.js';
import type { MapResult } from '../mapping/map-row.js';
import { subjectCodeColumns, type JobMapping, type MapContext } from '../mapping/types.js';
import { mapAndValidate } from '../validation/map-and-validate.js';
import type { ValidateOptions } from '../validation/validate-record.js';

/** A header's meaning: a field code, a field the standard retired (with the note why), or nothing the standard knows. */
export type HeaderResolution = string | { retired: string } | null;

export interface FileCategory {
  /** Catalog code, e.g. 'P07-002'. */
  code: string;
  /** A header as a file writes it (Chinese name, field code or alias). */
  resolveHeader(header: string): HeaderResolution;
  /** The identifying fields: the record key. */
  key: readonly string[];
  /** Fields a file must have as columns: the key, the subject and the required fields. */
  requiredFields: readonly string[];
  /** Every field mapRow reads; those a file leaves out read as null. */
  fields: readonly string[];
  /** Maps and validates one row keyed by field codes. Pure. */
  mapRow(row: Row, ctx: MapContext): MapResult;
  /** Fields behind the findings mapping names by role ('key', 'subject.name', 'subject.code', 'subject.kind'), for the report. */
  roleFields?: Readonly<Record<string, readonly string[]>>;
  /** The field's Chinese name, for the report. */
  fieldName?(fieldCode: string): string | undefined;
  /** The template's data sheet, read first in an XLSX workbook. */
  sheet?: string;
  /** The XLSX row holding the column names, if not the first row with content. */
  headerRow?: number;
}

export interface MappedCategorySpec {
  code: string;
  resolveHeader(header: string): HeaderResolution;
  /** A job mapping whose columns are field codes, e.g. fields: { CF_WSH: 'CF_WSH' }; `key` holds the identifying fields. */
  mapping: JobMapping;
  validate?: ValidateOptions;
  fieldName?(fieldCode: string): string | undefined;
  sheet?: string;
  headerRow?: number;
}

/**
 * A FileCategory from a job mapping written in field codes, mapped and
 * validated by mapAndValidate like every database row.
 */
export function categoryFromMapping(spec: MappedCategorySpec): FileCategory {
  const { mapping } = spec;
  const kindColumn = typeof mapping.subject.kind === 'string' ? [] : [mapping.subject.kind.column];
  const required = new Set<string>([...mapping.key, mapping.subject.name, ...subjectCodeColumns(mapping.subject.code), ...kindColumn]);
  for (const rule of Object.values(mapping.fields)) {
    if (typeof rule !== 'string' && rule.required) for (const c of ruleColumns(rule)) required.add(c);
  }
  for (const field of spec.validate?.requiredFields ?? []) {
    const rule = mapping.fields[field];
    for (const c of rule === undefined ? [field] : ruleColumns(rule)) required.add(c);
  }
  const read = new Set<string>([...required, ...(mapping.deleted ? [mapping.deleted.column] : [])]);
  for (const rule of Object.values(mapping.fields)) for (const c of ruleColumns(rule)) read.add(c);
  return {
    code: spec.code,
    resolveHeader: spec.resolveHeader,
    key: mapping.key,
    requiredFields: [...required],
    fields: [...read],
    mapRow: (row, ctx) => mapAndValidate(mapping, row, ctx, spec.validate),
    roleFields: {
      key: mapping.key,
      'subject.name': [mapping.subject.name],
      'subject.code': subjectCodeColumns(mapping.subject.code),
      'subject.kind': kindColumn,
      ...(mapping.deleted ? { deleted: [mapping.deleted.column] } : {}),
      ...Object.fromEntries(Object.entries(mapping.fields).map(([field, rule]) => [field, ruleColumns(rule)])),
    },
    ...(spec.fieldName ? { fieldName: spec.fieldName } : {}),
    ...(spec.sheet !== undefined ? { sheet: spec.sheet } : {}),
    ...(spec.headerRow !== undefined ? { headerRow: spec.headerRow } : {}),
  };
}

function ruleColumns(rule: JobMapping['fields'][string]): string[] {
  if (typeof rule === 'string') return [rule];
  if (rule.const !== undefined) return [];
  return [...(rule.firstOf ?? []), ...(rule.concat?.columns ?? []), ...(rule.column !== undefined ? [rule.column] : [])];
}
