/** Profiles: recurring exports of national and provincial systems read as they come (issue 13). */
export { compileProfile, profileKey, provenanceOf, ruleColumns } from './compile.js';
export type { CompiledProfile } from './compile.js';
export { globMatcher, globProblem } from './glob.js';
export { bindColumns, cellText, composeHeader, findHeader, HEADER_SEARCH_ROWS, RowClassifier } from './shape.js';
export type { ColumnBinding, HeaderOptions, RowKind, SheetLayout, SheetShape, ShapedColumn } from './shape.js';
export { findingColumn, profileRow, trialRows, trialSheet } from './trial.js';
export type { ProfileRow, SheetTrial, TrialInput, TrialOutcome } from './trial.js';
export type { ProfileConfig } from '../../config/schema.js';
export type { Provenance } from '../model.js';
