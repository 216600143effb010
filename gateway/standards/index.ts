/** The data standards: the fields each information type sends, their code tables and rules. */
export { allowedValues, codeKey, lookupCode } from './code-tables.js';
export type { CodeMatch } from './code-tables.js';
export { StandardsError } from './errors.js';
export type { StandardsProblem } from './errors.js';
export { fieldByCode, fieldByHeader, headerKey, lookupHeader, spellingsOf } from './headers.js';
export type { HeaderMatch } from './headers.js';
export { loadStandards, standardFor } from './load.js';
export { CODE_TABLES_FILE, createStandards } from './standards.js';
export { subjectFromFields } from './subject.js';
export type { SubjectFromFields } from './subject.js';
export type { SeedFile } from './standards.js';
export { FIELD_TYPES, IDENTIFIER_KINDS, PUBLICATION_STATUS, RULE_KINDS, SUBJECT_ROLES } from './types.js';
export type {
  CodeTable, CodeTablesFile, CodeValue, FieldType, IdentifierKind, RetiredField, RuleCondition, RuleKind, Standard,
  StandardField, StandardFile, StandardRule, Standards, SubjectRole,
} from './types.js';
