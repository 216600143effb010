/**
 * What the schema cannot say about the seed files: codes that must be
 * unique, spellings that must not collide, references that must resolve.
 * Each problem names the member it is about.
 */
import { INFO_TYPES } from '../catalog/types.js';
import { codeKey } from './code-tables.js';
import type { StandardsProblem } from './errors.js';
import { headerKey, spellingsOf } from './headers.js';
import { PUBLICATION_STATUS, type CodeTable, type StandardFile, type StandardField, type StandardRule } from './types.js';

type Problem = Omit<StandardsProblem, 'file'>;

export function checkCodeTables(tables: readonly CodeTable[]): Problem[] {
  const problems: Problem[] = [];
  const codes = new Set<string>();
  tables.forEach((table, i) => {
    if (codes.has(table.code)) problems.push({ path: `tables[${i}].code`, message: `code table ${table.code} repeats` });
    codes.add(table.code);
    const seen = new Map<string, string>();
    table.values.forEach((v, j) => {
      for (const spelling of [v.value, ...(v.aliases ?? [])]) {
        const key = codeKey(spelling);
        const owner = seen.get(key);
        if (owner === undefined) seen.set(key, v.value);
        else problems.push({ path: `tables[${i}].values[${j}]`, message: owner === v.value ? `"${spelling}" repeats` : `"${spelling}" also spells ${owner}` });
      }
    });
  });
  return problems;
}

export function checkStandard(standard: StandardFile, fileCode: string, tables: ReadonlyMap<string, CodeTable>): Problem[] {
  const problems: Problem[] = [];
  if (standard.code !== fileCode) problems.push({ path: 'code', message: `is ${standard.code}, the file is ${fileCode}.json` });
  const fields = new Map<string, StandardField>();
  const spellings = new Map<string, string>();
  const claim = (spelling: string, owner: string, path: string): void => {
    const key = headerKey(spelling);
    const other = spellings.get(key);
    if (other !== undefined && other !== owner) problems.push({ path, message: `"${spelling}" also names ${other}` });
    spellings.set(key, owner);
  };
  const roles = new Map<string, string>();

  standard.fields.forEach((field, i) => {
    const at = `fields[${i}]`;
    if (fields.has(field.code)) problems.push({ path: `${at}.code`, message: `field code ${field.code} repeats` });
    fields.set(field.code, field);
    for (const spelling of spellingsOf(field)) claim(spelling, field.code, at);
    problems.push(...fieldProblems(field, at, tables));
    if (field.subject) {
      const other = roles.get(field.subject);
      if (other) problems.push({ path: `${at}.subject`, message: `${other} already plays subject ${field.subject}` });
      roles.set(field.subject, field.code);
    }
  });
  (standard.retired ?? []).forEach((retired, i) => {
    if (fields.has(retired.code)) problems.push({ path: `retired[${i}].code`, message: `${retired.code} is a current field` });
    for (const spelling of [retired.code, retired.name, ...(retired.aliases ?? [])]) claim(spelling, retired.code, `retired[${i}]`);
  });
  standard.rules.forEach((rule, i) => problems.push(...ruleProblems(rule, `rules[${i}]`, fields, tables)));
  standard.key.forEach((code, i) => {
    const field = fields.get(code);
    if (!field) problems.push({ path: `key[${i}]`, message: `no field ${code}` });
    else if (standard.key.indexOf(code) !== i) problems.push({ path: `key[${i}]`, message: `${code} repeats` });
    else if (!field.required && field.subject !== 'legalCode' && field.subject !== 'naturalCode') {
      problems.push({ path: `key[${i}]`, message: `${code} is neither required nor the subject's code: a row could have no key` });
    }
  });
  return problems;
}

function fieldProblems(field: StandardField, at: string, tables: ReadonlyMap<string, CodeTable>): Problem[] {
  const problems: Problem[] = [];
  const only = (member: keyof StandardField, allowed: boolean, what: string): void => {
    if (field[member] !== undefined && !allowed) problems.push({ path: `${at}.${member}`, message: `only ${what} fields have ${member}` });
  };
  if (field.type === 'code') {
    if (!field.codeTable) problems.push({ path: `${at}.codeTable`, message: 'a code field needs a code table' });
    else if (!tables.has(field.codeTable)) problems.push({ path: `${at}.codeTable`, message: `no code table ${field.codeTable}` });
  } else only('codeTable', false, 'code');
  only('multiple', field.type === 'code', 'code');
  only('scale', field.type === 'decimal', 'decimal');
  only('unit', field.type === 'decimal' || field.type === 'integer', 'decimal or integer');
  only('identifier', field.type === 'string', 'string');
  only('longTerm', field.type === 'date', 'date');
  if (field.type === 'date' && field.format !== 'YYYY-MM-DD') {
    problems.push({ path: `${at}.format`, message: 'dates are sent as YYYY-MM-DD' });
  }
  return problems;
}

const DATE_RULES = new Set(['dateOrder', 'notFuture']);

function ruleProblems(rule: StandardRule, at: string, fields: ReadonlyMap<string, StandardField>, tables: ReadonlyMap<string, CodeTable>): Problem[] {
  const problems: Problem[] = [];
  const named = rule.fields.map((code, i) => {
    const field = fields.get(code);
    if (!field) problems.push({ path: `${at}.fields[${i}]`, message: `no field ${code}` });
    return field;
  });
  if (problems.length) return problems;
  const types = named.map((f) => f!.type);
  if (DATE_RULES.has(rule.kind) && types.some((t) => t !== 'date')) {
    problems.push({ path: `${at}.fields`, message: `${rule.kind} applies to dates only` });
  }
  if (rule.kind === 'dateOrder' && rule.fields.length < 2) problems.push({ path: `${at}.fields`, message: 'dateOrder needs two dates or more' });
  if (rule.kind === 'amountUnit' && named.some((f) => f!.type !== 'decimal' || !f!.unit)) {
    problems.push({ path: `${at}.fields`, message: 'amountUnit applies to decimals with a unit' });
  }
  if (rule.kind !== 'amountUnit' && rule.warnAbove !== undefined) problems.push({ path: `${at}.warnAbove`, message: 'only amountUnit rules warn above an amount' });
  if (rule.kind === 'publicationStatus') {
    if (types.length !== 2 || types[0] !== 'date' || types[1] !== 'code') {
      problems.push({ path: `${at}.fields`, message: 'publicationStatus takes [end-of-publication date, status code]' });
    } else {
      const values = new Set(tables.get(named[1]!.codeTable!)?.values.map((v) => v.value));
      const missing = Object.values(PUBLICATION_STATUS).filter((v) => !values.has(v));
      if (missing.length) problems.push({ path: `${at}.fields[1]`, message: `its code table lacks ${missing.join(', ')}` });
    }
  }
  if (rule.when) {
    const condition = fields.get(rule.when.field);
    const one = (rule.when.in !== undefined) !== (rule.when.filled !== undefined);
    if (!condition) problems.push({ path: `${at}.when.field`, message: `no field ${rule.when.field}` });
    else if (!one) problems.push({ path: `${at}.when`, message: 'give exactly one of in and filled' });
    else if (rule.when.in && condition.codeTable) {
      const table = tables.get(condition.codeTable);
      const values = new Set(table?.values.map((v) => v.value));
      rule.when.in.forEach((value, i) => {
        if (table && !values.has(value)) problems.push({ path: `${at}.when.in[${i}]`, message: `"${value}" is not in code table ${table.code}` });
      });
    }
  }
  return problems;
}

/** Each information type has exactly one standard, and each standard a distinct code. */
export function checkCoverage(standards: readonly { file: string; standard: StandardFile }[]): StandardsProblem[] {
  const problems: StandardsProblem[] = [];
  const byType = new Map<string, string>();
  for (const { file, standard } of standards) {
    const other = byType.get(standard.infoType);
    if (other) problems.push({ file, path: 'infoType', message: `${standard.infoType} already has its standard in ${other}` });
    byType.set(standard.infoType, file);
  }
  for (const type of INFO_TYPES) {
    if (!byType.has(type)) problems.push({ file: '(standards)', path: '', message: `no standard for information type ${type}` });
  }
  return problems;
}
