/**
 * The template way's category: what the drop folder reads of one catalog
 * category when a file is a filled-in template (its name starts with the
 * category code), built from the category's data standard alone.
 */
import type { Row } from '../../connectors/contract.js';
import type { FieldRule, JobMapping } from '../mapping/types.js';
import { fieldByCode, lookupHeader, subjectFromFields, type Standard, type SubjectRole } from '../standards/index.js';
import { DATA_SHEET } from '../templates/index.js';
import type { ValidateOptions } from '../validation/validate-record.js';
import { categoryFromMapping, type FileCategory } from './file-category.js';

/** Where a mixed standard's subject is read from: synthetic columns, filled per row from the fields (subjectFromFields). */
const SUBJECT_KIND = '#subject.kind';
const SUBJECT_CODE = '#subject.code';

/**
 * What the drop folder reads of one category: every field of its standard
 * (headers by name, code or alias; dates as typed in Excel), the standard's
 * key, the subject from the fields that repeat it, and every row validated
 * with the standard. Where a standard carries both a 统一社会信用代码 and a
 * 证件号码 (legal and natural persons in one file), the subject's code, in
 * the key too, is whichever the row's 行政相对人类别 calls for.
 */
export function fileCategory(code: string, standard: Readonly<Standard>): FileCategory {
  const role = (r: SubjectRole) => standard.fields.find((f) => f.subject === r)?.code;
  const name = role('name')!;
  const kindField = role('kind');
  const codeFields = [role('legalCode'), role('naturalCode')].filter((c): c is string => c !== undefined);
  const mixed = codeFields.length > 1;
  const codeColumn = mixed ? SUBJECT_CODE : codeFields[0]!;
  const fields: Record<string, string | FieldRule> = {};
  for (const f of standard.fields) fields[f.code] = f.type === 'date' ? { column: f.code, date: 'excel' } : f.code;
  const mapping: JobMapping = {
    name: `files:${code}`,
    category: code,
    key: standard.key.map((k) => (mixed && codeFields.includes(k) ? SUBJECT_CODE : k)),
    subject: {
      kind: kindField
        ? { column: SUBJECT_KIND, values: { legal: 'legal', natural: 'natural', individual_business: 'individual_business' } }
        : role('legalCode') ? 'legal' : 'natural',
      name,
      code: codeColumn,
    },
    fields,
  };
  const validate: ValidateOptions & { standard: Readonly<Standard> } = { standard };
  const base = categoryFromMapping({
    code,
    resolveHeader: (header) => {
      const match = lookupHeader(standard, header);
      return match.kind === 'field' ? match.field.code : match.kind === 'retired' ? { retired: match.retired.note } : null;
    },
    mapping,
    validate,
    fieldName: (field) => fieldByCode(standard, field)?.name,
    sheet: DATA_SHEET,
  });
  const real = (columns: readonly string[]) =>
    [...new Set(columns.flatMap((c) => (c === SUBJECT_CODE ? codeFields : c === SUBJECT_KIND ? (kindField ? [kindField] : []) : [c])))];
  return {
    ...base,
    // A file must have the standard's required columns and its key; of a mixed subject's two codes, either may be left out.
    requiredFields: real(base.requiredFields.filter((c) => c !== SUBJECT_CODE)),
    fields: standard.fields.map((f) => f.code),
    mapRow: (row: Row, ctx) => {
      if (!kindField && !mixed) return base.mapRow(row, ctx);
      const subject = subjectFromFields(standard, row);
      return base.mapRow({ ...row, [SUBJECT_KIND]: subject.kind, [SUBJECT_CODE]: subject.code === '' ? null : subject.code }, ctx);
    },
    roleFields: {
      ...base.roleFields,
      key: real(mapping.key),
      'subject.code': codeFields,
      'subject.kind': kindField ? [kindField] : [],
    },
  };
}
