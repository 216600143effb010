/**
 * Finding a standard's field by what a person or an older system calls it:
 * its code, its Chinese name, or an alias (an older template's code, a
 * header variant). File uploads and job configurations both come through
 * here, so `XK_XDR_ZDM`, `组织机构代码` and `行政相对人代码_3（组织机构代码）`
 * all land on the same field.
 */
import type { RetiredField, StandardField, StandardFile } from './types.js';

export type HeaderMatch =
  | { kind: 'field'; field: Readonly<StandardField>; via: 'code' | 'name' | 'alias' }
  | { kind: 'retired'; retired: Readonly<RetiredField> }
  | { kind: 'unknown' };

/**
 * The form two headers are compared in. Clerks and spreadsheets vary in
 * ways that do not change the meaning: bracket and letter widths, spaces,
 * the case of a code, a `*` or `（必填）` marking a required column.
 */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/\((?:必填|必填项|选填|选填项|可选)\)$/, '')
    .toUpperCase();
}

type Index = ReadonlyMap<string, Exclude<HeaderMatch, { kind: 'unknown' }>>;

const indexes = new WeakMap<StandardFile, Index>();

/** Every key of a standard, first spelling wins; check.ts guarantees no two collide. */
function indexOf(standard: StandardFile): Index {
  const cached = indexes.get(standard);
  if (cached) return cached;
  const index = new Map<string, Exclude<HeaderMatch, { kind: 'unknown' }>>();
  const add = (key: string, match: Exclude<HeaderMatch, { kind: 'unknown' }>): void => {
    if (!index.has(headerKey(key))) index.set(headerKey(key), match);
  };
  for (const field of standard.fields) {
    add(field.code, { kind: 'field', field, via: 'code' });
    add(field.name, { kind: 'field', field, via: 'name' });
    for (const alias of field.aliases ?? []) add(alias, { kind: 'field', field, via: 'alias' });
  }
  for (const retired of standard.retired ?? []) {
    for (const key of [retired.code, retired.name, ...(retired.aliases ?? [])]) add(key, { kind: 'retired', retired });
  }
  indexes.set(standard, index);
  return index;
}

export function lookupHeader(standard: StandardFile, header: string): HeaderMatch {
  return indexOf(standard).get(headerKey(header)) ?? { kind: 'unknown' };
}

/** The field a header, code or alias names; undefined for retired and unknown ones. */
export function fieldByHeader(standard: StandardFile, header: string): Readonly<StandardField> | undefined {
  const match = lookupHeader(standard, header);
  return match.kind === 'field' ? match.field : undefined;
}

/** The field with exactly this (current) code. */
export function fieldByCode(standard: StandardFile, code: string): Readonly<StandardField> | undefined {
  return standard.fields.find((f) => f.code === code);
}

/** Every spelling of a field, for collision checks and template notes. */
export function spellingsOf(field: Pick<StandardField, 'code' | 'name' | 'aliases'>): string[] {
  return [field.code, field.name, ...(field.aliases ?? [])];
}
