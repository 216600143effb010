/**
 * The standards as the gateway uses them: the seed files checked once and
 * frozen, with lookups by information type and code.
 */
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import type { InfoType } from '../catalog/types.js';
import { checkCodeTables, checkCoverage, checkStandard } from './check.js';
import { StandardsError, type StandardsProblem } from './errors.js';
import { CodeTablesSchema, StandardSchema } from './schema.js';
import type { CodeTable, CodeTablesFile, Standard, StandardFile, Standards } from './types.js';

/** A seed file as read: its name and parsed content. */
export interface SeedFile {
  file: string;
  content: unknown;
}

export const CODE_TABLES_FILE = 'code-tables.json';

/** `/fields/3/code` → `fields[3].code` */
function memberPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function schemaProblems(schema: TSchema, file: string, content: unknown): StandardsProblem[] {
  const seen = new Set<string>();
  const problems: StandardsProblem[] = [];
  for (const error of Value.Errors(schema, content)) {
    const path = memberPath(error.path);
    // A union reports once per branch; the first per member is the useful one.
    if (seen.has(path)) continue;
    seen.add(path);
    const hint = (error.schema as { description?: string }).description;
    problems.push({ file, path, message: hint ? `${error.message} (${hint})` : error.message });
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Checks every seed file and builds the lookups; throws StandardsError
 * listing every problem, each with its file and member.
 */
export function createStandards(files: readonly SeedFile[]): Standards {
  const problems: StandardsProblem[] = [];
  const tablesFile = files.find((f) => f.file === CODE_TABLES_FILE);
  let tables: CodeTable[] = [];
  if (!tablesFile) problems.push({ file: CODE_TABLES_FILE, path: '', message: 'missing' });
  else {
    const found = schemaProblems(CodeTablesSchema, tablesFile.file, tablesFile.content);
    problems.push(...found);
    if (!found.length) {
      tables = (tablesFile.content as CodeTablesFile).tables;
      problems.push(...checkCodeTables(tables).map((p) => ({ file: tablesFile.file, ...p })));
    }
  }
  const tableMap = new Map(tables.map((t) => [t.code, t]));

  const standards: { file: string; standard: StandardFile }[] = [];
  for (const { file, content } of files) {
    if (file === CODE_TABLES_FILE) continue;
    const found = schemaProblems(StandardSchema, file, content);
    problems.push(...found);
    if (found.length) continue;
    const standard = content as StandardFile;
    problems.push(...checkStandard(standard, file.replace(/\.json$/, ''), tableMap).map((p) => ({ file, ...p })));
    standards.push({ file, standard });
  }
  if (!problems.length) problems.push(...checkCoverage(standards));
  if (problems.length) throw new StandardsError(problems);

  const codeTables = deepFreeze(Object.fromEntries(structuredClone(tables).map((t) => [t.code, t])));
  const list: Standard[] = standards.map(({ standard }) => deepFreeze({
    ...structuredClone(standard),
    codeTables: Object.fromEntries(standard.fields.filter((f) => f.codeTable).map((f) => [f.codeTable!, codeTables[f.codeTable!]!])),
  }));
  Object.freeze(list);
  const byType = new Map(list.map((s) => [s.infoType, s]));
  const byCode = new Map(list.map((s) => [s.code, s]));
  const byInfoType = (infoType: InfoType): Standard => {
    const found = byType.get(infoType);
    // checkCoverage has made this impossible for a catalog infoType.
    if (!found) throw new StandardsError([{ file: '(standards)', path: '', message: `no standard for information type ${infoType}` }]);
    return found;
  };
  return Object.freeze({
    list,
    codeTables,
    byInfoType,
    byCode: (code: string) => byCode.get(code),
    standardFor: (category: { infoType: InfoType }) => byInfoType(category.infoType),
  });
}
